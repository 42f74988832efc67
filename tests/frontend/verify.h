// The fixture format of the golden diagnostic tests (tests/frontend/diagnostics/*.axon).
//
// A fixture holds cases separated by a line `// -----`; each case is a small complete
// program, checked on its own but with the fixture's line numbers. A case lists every
// diagnostic it expects, exactly, in comments:
//
//   // expected-error@+1:14 {{E020: cannot add voltage (V) and time (s)}}
//   // expected-note@-3:13 {{first defined here}}
//   // expected-hint {{did you mean 'v_rest'?}}
//
// `@+N` / `@-N` is N lines below / above the comment, `@N` line N of the fixture, and
// `@FILE:N:C` a place in another file (`<prelude>`, `stdlib/neurons/lif.axon`). The
// column after `:` is required. Notes and hints belong to the error above them, and a
// diagnostic's notes and hint must all be expected: an error without expected-hint
// expects none. `${STDLIB}` in a message stands for the stdlib directory.
//
// Every case with errors is followed by its valid twin: a case that differs from it in
// at most two lines and expects nothing.
//
// A case runs the front end (parse and check) only, unless it names a later stage, for
// the errors found after checking (E080-E091):
//
//   // stage: lower               then lowering and ODE classification, as `axon build`
//   // stage: run                 then axon::run_program, as `axon run` (no output file)
//   // run-with: --set P.v=1 mV   a RunRequest setting, as the CLI spells it: --set,
//                                 --dt, --duration (quantities), --max-memory (bytes)
//
// These lines count as lines of the case for the twin rule, so a twin may differ from
// its invalid case in a run-with line only. `@?` is the place of a diagnostic that has
// none (about the run as a whole: E081, E083); `--set` errors are placed in a file named
// `--set` (`@--set:1:3`).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace axon_test {

enum class Stage { Check, Lower, Run };

struct FixtureCase {
  std::string fixture;                     // file name, used as the program's name
  unsigned first_line = 0;                 // 1-based line of the case in the fixture
  std::string text;                        // padded with empty lines, so its lines are the fixture's lines
  std::vector<std::string> expected;       // canonical diagnostics (see canonical_form)
  std::vector<std::string> format_errors;  // malformed expectation comments
  std::vector<std::string> code_lines;     // non-blank lines without expectation comments
  Stage stage = Stage::Check;
  // The RunRequest of Stage::Run, from `run-with` lines.
  std::vector<std::string> sets;
  std::optional<double> dt, duration;  // seconds
  double max_memory_bytes = 0;
};

// Splits a fixture file into its cases and parses their expectations.
std::vector<FixtureCase> split_fixture(const std::string& name, const std::string& text);

// Runs the front end on one case, then the stage it names if the front end passed.
// Returns "" when the diagnostics are exactly the expected ones, else a report: what is
// missing, what is unexpected, and everything axon said, rendered.
std::string verify_case(const FixtureCase& c);

// Checks the valid-twin rule over a fixture's cases; returns "" when it holds.
std::string check_twins(const std::vector<FixtureCase>& cases);

}  // namespace axon_test
