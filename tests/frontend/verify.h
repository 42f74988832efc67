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
#pragma once

#include <string>
#include <vector>

namespace axon_test {

struct FixtureCase {
  std::string fixture;  // file name, used as the program's name
  unsigned first_line = 0;  // 1-based line of the case in the fixture
  std::string text;  // padded with empty lines, so its lines are the fixture's lines
  std::vector<std::string> expected;  // canonical diagnostics (see canonical_form)
  std::vector<std::string> format_errors;  // malformed expectation comments
  std::vector<std::string> code_lines;  // non-blank lines without expectation comments
};

// Splits a fixture file into its cases and parses their expectations.
std::vector<FixtureCase> split_fixture(const std::string& name, const std::string& text);

// Runs the front end on one case. Returns "" when the diagnostics are exactly the
// expected ones, else a report: what is missing, what is unexpected, and everything the
// front end said, rendered.
std::string verify_case(const FixtureCase& c);

// Checks the valid-twin rule over a fixture's cases; returns "" when it holds.
std::string check_twins(const std::vector<FixtureCase>& cases);

}  // namespace axon_test
