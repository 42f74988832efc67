// Golden diagnostics: every case of every fixture in tests/frontend/diagnostics/ reports
// exactly the diagnostics its comments expect (code, line, column, message, notes,
// hint), and every invalid case has a valid twin. See verify.h for the format. Cases of
// with_lowering.axon and with_run.axon also run lowering or the engine.

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/frontend.h"
#include "test_files.h"
#include "verify.h"

namespace {

const std::string kFixtureDir = AXON_TESTS_DIR "/frontend/diagnostics";

// The fixtures, each its own test case, so that ctest names the failing one.
// (New files sort after the older ones, so that the robustness test's fuzzing of the
// fixtures keeps its seeds for the older cases.)
const std::vector<std::string> kFixtures = {"syntax.axon",        "names.axon",    "units.axon",     "models.axon",
                                            "networks.axon",      "runs.axon",     "values.axon",    "wiring.axon",
                                            "with_lowering.axon", "with_run.axon", "with_build.axon"};

std::vector<axon_test::FixtureCase> load(const std::string& fixture) {
  return axon_test::split_fixture(fixture, axon_test::read_text_file(kFixtureDir + "/" + fixture));
}

void check_fixture(const std::string& fixture) {
  std::vector<axon_test::FixtureCase> cases = load(fixture);
  REQUIRE(cases.size() >= 2);
  size_t invalid = 0;
  for (const axon_test::FixtureCase& c : cases) {
    invalid += c.expected.empty() ? 0 : 1;
    std::string report = axon_test::verify_case(c);
    if (!report.empty()) FAIL_CHECK(report);
  }
  std::string twins = axon_test::check_twins(cases);
  if (!twins.empty()) FAIL_CHECK(twins);
  CHECK(invalid > 0);
}

// The error codes the fixtures expect, over all fixtures.
std::set<std::string> codes_expected() {
  std::set<std::string> codes;
  for (const std::string& f : kFixtures)
    for (const axon_test::FixtureCase& c : load(f))
      for (const std::string& e : c.expected) codes.insert(e.substr(e.find('[') + 1, 4));
  return codes;
}

}  // namespace

TEST_CASE("diagnostics: syntax errors", "[diagnostics]") { check_fixture("syntax.axon"); }
TEST_CASE("diagnostics: names imports and units", "[diagnostics]") { check_fixture("names.axon"); }
TEST_CASE("diagnostics: dimensions", "[diagnostics]") { check_fixture("units.axon"); }
TEST_CASE("diagnostics: model rules", "[diagnostics]") { check_fixture("models.axon"); }
TEST_CASE("diagnostics: networks", "[diagnostics]") { check_fixture("networks.axon"); }
TEST_CASE("diagnostics: runs", "[diagnostics]") { check_fixture("runs.axon"); }
TEST_CASE("diagnostics: functions truth values and exponents", "[diagnostics]") { check_fixture("values.axon"); }
TEST_CASE("diagnostics: population sizes and projections", "[diagnostics]") { check_fixture("wiring.axon"); }
TEST_CASE("diagnostics: lowering and ODE classification", "[diagnostics]") { check_fixture("with_lowering.axon"); }
TEST_CASE("diagnostics: running with --set run parameters and a memory limit", "[diagnostics]") {
  check_fixture("with_run.axon");
}
TEST_CASE("diagnostics: build-time values", "[diagnostics]") { check_fixture("with_build.axon"); }

TEST_CASE("diagnostics: every fixture file is tested", "[diagnostics]") {
  std::set<std::string> on_disk, listed(kFixtures.begin(), kFixtures.end());
  for (const std::string& p : axon_test::files_under(kFixtureDir, ".axon"))
    on_disk.insert(std::filesystem::path(p).filename().string());
  CHECK(on_disk == listed);
}

TEST_CASE("diagnostics: the fixtures cover the main error codes", "[diagnostics]") {
  std::set<std::string> covered = codes_expected();
  for (const char* code : {"E001", "E002", "E010", "E011", "E012", "E020", "E021", "E022", "E031", "E032", "E035",
                           "E040", "E050", "E060", "E070", "E071"}) {
    INFO("no fixture expects " << code);
    CHECK(covered.count(code) == 1);
  }
}

// The harness itself must be able to fail: a wrong expectation, a missing one and a
// malformed one are each reported.
TEST_CASE("diagnostics: the harness reports every kind of mismatch", "[diagnostics]") {
  const std::string fixture =
      "neuron A {\n"
      "  parameter tau = 10 ms\n"
      "  state v = 0 mV\n"
      "  // expected-error@+1:8 {{E021: a message the front end does not say}}\n"
      "  v' = -v\n"
      "}\n"
      "// -----\n"
      "neuron B {\n"
      "  parameter tau = 10 ms\n"
      "  // expected-eror@+1:3 {{E010: misspelt directive}}\n"
      "  state v = 0 mV\n"
      "}\n"
      "// -----\n"
      "neuron C {\n"
      "  state v = 0 mV\n"
      "  v' = v\n"
      "}\n";
  std::vector<axon_test::FixtureCase> cases = axon_test::split_fixture("harness.axon", fixture);
  REQUIRE(cases.size() == 3);
  CHECK(cases[1].first_line == 8);

  std::string wrong = axon_test::verify_case(cases[0]);
  CHECK_THAT(wrong, Catch::Contains("expected but not reported:\n"
                                    "    error[E021] @5:8: a message the front end does not say"));
  CHECK_THAT(wrong, Catch::Contains("reported but not expected:\n"
                                    "    error[E021] @5:8: the right side of v' must have dimension"));
  CHECK_THAT(axon_test::verify_case(cases[1]), Catch::Contains("cannot read '// expected-eror@+1:3"));
  CHECK_THAT(axon_test::verify_case(cases[2]), Catch::Contains("reported but not expected:\n"
                                                               "    error[E021] @16:8:"));
}

TEST_CASE("diagnostics: the harness requires a valid twin after each invalid case", "[diagnostics]") {
  const std::string invalid =
      "neuron A {\n"
      "  state v = 0 mV\n"
      "  // expected-error@+1:8 {{E021: whatever}}\n"
      "  v' = v\n"
      "}\n";
  const std::string far_twin =
      "neuron A {\n  state v = 0 mV\n  state w = 0\n  state x = 0\n  state y = 0\n  state z = 0\n}\n";
  const std::string twin = "neuron A {\n  state v = 0 mV\n  v' = v / 1 s\n}\n";
  const std::string sep = "// -----\n";
  CHECK(axon_test::check_twins(axon_test::split_fixture("t.axon", invalid + sep + twin)) == "");
  CHECK(axon_test::check_twins(axon_test::split_fixture("t.axon", invalid + sep + invalid + sep + twin)) ==
        "t.axon:1: an invalid case must be followed by its valid twin\n");
  CHECK(axon_test::check_twins(axon_test::split_fixture("t.axon", invalid)) ==
        "t.axon:1: an invalid case must be followed by its valid twin\n");
  CHECK(axon_test::check_twins(axon_test::split_fixture("t.axon", invalid + sep + far_twin)) ==
        "t.axon:1: the valid twin differs in 5 lines; a twin changes one or two lines\n");
}

TEST_CASE("diagnostics: a rendered error shows its place and line with caret note and hint", "[diagnostics]") {
  const std::string text =
      "neuron Counter {\n"
      "  parameter tau = 10 ms\n"
      "  state n = 0\n"
      "  n' = -n / tau\n"
      "  update { n = n + 1 }\n"
      "}\n";
  axon::FrontendResult r;
  axon::run_frontend_text("counter.axon", text, r);
  REQUIRE(r.diags.all().size() == 1);
  CHECK(axon::render(r.diags.all()[0], r.program.files) ==
        "counter.axon:5:12: error[E031]: 'n' has an equation and is also set in an update block\n"
        " 5 |   update { n = n + 1 }\n"
        "   |            ^\n"
        "counter.axon:4:3: note: its equation is here\n"
        " 4 |   n' = -n / tau\n"
        "   |   ^~\n"
        "  = hint: a state is either integrated from n' = ... or stepped in 'update', not both\n");
}

TEST_CASE("diagnostics: a syntax error renders with its expected tokens", "[diagnostics]") {
  axon::FrontendResult r;
  axon::run_frontend_text("paren.axon", "neuron N {\n  state v = (1 mV\n}\n", r);
  CHECK(axon::render_all(r.diags, r.program.files) ==
        "paren.axon:3:1: error[E001]: unexpected '}'; expected ')'\n"
        " 3 | }\n"
        "   | ^\n");
  CHECK_FALSE(r.ok);
}

TEST_CASE("diagnostics: columns count bytes while carets count characters", "[diagnostics]") {
  axon::FrontendResult r;
  // 'µ' is two bytes, so 'q' is at byte column 21, but one character on screen, so the
  // caret needs 19 characters before it to sit under 'q'.
  axon::run_frontend_text("micro.axon", "neuron N {\n  state x = 1 µA + q\n}\n", r);
  REQUIRE(r.diags.all().size() == 1);
  CHECK(axon::render(r.diags.all()[0], r.program.files) ==
        "micro.axon:2:21: error[E010]: unknown name 'q'\n"
        " 2 |   state x = 1 µA + q\n"
        "   | " +
            std::string(19, ' ') + "^\n");
  // The same after a character the grammar rejects: its error sits on it, and the
  // underline of the two-byte 'é' is one character wide.
  axon::FrontendResult bad;
  axon::run_frontend_text("accent.axon", "neuron N {\n  state é = 1 mV\n}\n", bad);
  REQUIRE(bad.diags.all().size() == 1);
  CHECK_THAT(axon::render(bad.diags.all()[0], bad.program.files),
             Catch::StartsWith("accent.axon:2:9: error[E001]: unexpected character 'é'") &&
                 Catch::EndsWith(" 2 |   state é = 1 mV\n"
                                 "   |         ^\n"));
}

TEST_CASE("diagnostics: bytes that are not UTF-8 are an error and no exception", "[diagnostics]") {
  axon::FrontendResult r;
  REQUIRE_NOTHROW(axon::run_frontend_text("latin1.axon", "neuron N {\n  state v = 1 mV \xB5\n}\n", r));
  REQUIRE(r.diags.all().size() == 1);
  const axon::Diagnostic& d = r.diags.all()[0];
  CHECK(d.code == "E001");
  CHECK(d.message == "byte 0xB5 is not valid UTF-8");
  CHECK(d.range.line == 2);
  CHECK(d.range.col == 18);
  CHECK(d.hint == "axon files are UTF-8 text; save this one as UTF-8");
}

TEST_CASE("diagnostics: a deeply nested expression is an error and no crash", "[diagnostics]") {
  auto repeat = [](const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  // Each of these once overflowed the stack: in sema (the sum, the chain of minus signs)
  // or in the parser (the parentheses).
  const std::vector<std::pair<std::string, std::string>> deep = {
      {"sum", "1" + repeat(" + 1", 10000)},  // (the parser takes a second or two for it)
      {"parentheses", repeat("(", 100000) + "1" + repeat(")", 100000)},
      {"minus signs", repeat("-", 20000) + "1"},
      {"powers", "1" + repeat(" ^ 1", 20000)},
      {"members", "pre" + repeat(".v", 20000)},
  };
  for (const auto& [what, expr] : deep) {
    INFO(what);
    axon::FrontendResult r;
    REQUIRE_NOTHROW(axon::run_frontend_text("deep.axon", "neuron N {\n  state v = " + expr + "\n}\n", r));
    REQUIRE(r.diags.all().size() == 1);
    CHECK(r.diags.all()[0].code == "E001");
    CHECK(r.diags.all()[0].message == "this expression is nested too deeply (more than 1000 levels)");
    CHECK(r.diags.all()[0].hint == "split it into named parts with 'let'");
  }
  // Below the limit, long expressions are fine.
  axon::FrontendResult ok;
  axon::run_frontend_text("long.axon", "neuron N {\n  state v = 1" + repeat(" + 1", 900) + "\n}\n", ok);
  CHECK(ok.diags.all().empty());
}

TEST_CASE("diagnostics: errors stop at the limit with a note", "[diagnostics]") {
  std::string text = "neuron N {\n";
  for (int i = 0; i < 60; ++i) text += "  state s" + std::to_string(i) + " = q" + std::to_string(i) + "\n";
  text += "}\n";
  axon::FrontendResult r;
  axon::run_frontend_text("many.axon", text, r);
  CHECK(r.diags.error_count() == 50);
  CHECK(r.diags.all().size() == 50);
  std::string all = axon::render_all(r.diags, r.program.files);
  CHECK_THAT(all, Catch::EndsWith("note: too many errors; stopped reporting\n"));
}
