// Bad input must never crash the front end: randomly mutated shipped models (tokens
// deleted, duplicated, swapped or replaced, characters inserted or removed, the file cut
// short) all go through parse and sema, and every diagnostic points at a real place.

#include <catch2/catch.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/frontend.h"
#include "test_files.h"
#include "verify.h"

namespace {

// Words (names, digits), runs of blanks and single other characters: coarse enough to
// produce plausible programs, fine enough to break every construct.
std::vector<std::string> tokens_of(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  while (i < text.size()) {
    size_t j = i + 1;
    if (word(text[i])) {
      while (j < text.size() && word(text[j])) ++j;
    } else if (blank(text[i])) {
      while (j < text.size() && blank(text[j])) ++j;
    }
    out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string join(const std::vector<std::string>& tokens) {
  std::string s;
  for (const std::string& t : tokens) s += t;
  return s;
}

// Characters that stress the lexer and parser: punctuation of the grammar, a newline
// inside a construct, a non-ASCII letter the grammar accepts (µ), one it does not (é),
// and bytes that are not UTF-8 at all.
const std::vector<std::string> kInserted = {
    "{",    "}",    "(",  ")",  "[",  "]",  "'",    "=",   ":",     ";",     ".",   ",",   "+",        "-",
    "*",    "/",    "^",  "<",  ">",  "@",  "\"",   "#",   "\n",    "0",     "9",   "x",   "\xC2\xB5", "\xC3\xA9",
    "\xFF", "\xC2", "->", "//", "/*", "on", "post", "pre", "spike", "state", "let", "[0:", "1e999",    "0"};

std::string mutate(const std::string& text, std::mt19937& rng) {
  std::vector<std::string> tokens = tokens_of(text);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  int edits = 1 + static_cast<int>(pick(3));
  for (int k = 0; k < edits && !tokens.empty(); ++k) {
    size_t a = pick(tokens.size());
    size_t b = pick(tokens.size());
    switch (pick(7)) {
      case 0: tokens.erase(tokens.begin() + a); break;
      case 1: {
        std::string copy = tokens[a];
        tokens.insert(tokens.begin() + a, copy);
        break;
      }
      case 2: std::swap(tokens[a], tokens[b]); break;
      case 3: tokens[a] = tokens[b]; break;
      case 4: tokens.insert(tokens.begin() + a, kInserted[pick(kInserted.size())]); break;
      case 5: {
        std::string& t = tokens[a];
        if (!t.empty()) t.erase(pick(t.size()), 1);
        break;
      }
      case 6: tokens.resize(a); break;
    }
  }
  return join(tokens);
}

// Mutations that mostly keep the syntax, so that sema sees odd but parseable programs:
// names, numbers and units swapped for others from the file or a pool of meaningful ones.
const std::vector<std::string> kWords = {"t",          "dt",
                                         "i",          "j",
                                         "pre",        "post",
                                         "xi",         "pi",
                                         "0",          "1",
                                         "2",          "1000000",
                                         "ms",         "mV",
                                         "nA",         "nS",
                                         "Hz",         "s",
                                         "exp",        "sqrt",
                                         "Uniform",    "rand",
                                         "LIF",        "Static",
                                         "SpikeTimes", "PoissonSource",
                                         "ExpCurrent", "ExpConductance",
                                         "all",        "one_to_one",
                                         "target",     "v",
                                         "I"};

std::string mutate_words(const std::string& text, std::mt19937& rng) {
  std::vector<std::string> tokens = tokens_of(text);
  std::vector<size_t> words;
  for (size_t k = 0; k < tokens.size(); ++k)
    if (std::isalnum(static_cast<unsigned char>(tokens[k][0])) || tokens[k][0] == '_') words.push_back(k);
  if (words.empty()) return text;
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  int edits = 1 + static_cast<int>(pick(3));
  for (int k = 0; k < edits; ++k) {
    size_t at = words[pick(words.size())];
    tokens[at] = pick(2) == 0 ? tokens[words[pick(words.size())]] : kWords[pick(kWords.size())];
  }
  return join(tokens);
}

size_t line_count(const std::string& text) {
  size_t n = 1;
  for (char c : text) n += c == '\n';
  return n;
}

// Why `r` does not point into its file, or "" when it does.
std::string range_problem(const axon::SourceRange& r, const axon::SourceFiles& files) {
  if (!r.valid()) return "no location";
  if (r.file > files.size()) return "unknown file id";
  const std::string& text = files.get(r.file).text;
  if (r.line > line_count(text)) return "line past the end of the file";
  if (r.col == 0) return "column 0";
  if (r.col > files.line_text(r.file, r.line).size() + 1) return "column past the end of the line";
  if (r.end_line < r.line || (r.end_line == r.line && r.end_col < r.col)) return "ends before it starts";
  return "";
}

using Mutator = std::string (*)(const std::string&, std::mt19937&);

// Runs the front end over `mutants` mutations of `original`; returns a report of every
// mutant whose diagnostics are broken ("" when all are fine). A crash or an exception
// fails the test on the spot, with the mutant in the message.
std::string fuzz_text(const std::string& name, const std::string& original, int mutants, unsigned seed,
                      int& with_errors, Mutator mutator = mutate) {
  std::mt19937 rng(seed);
  std::string report;
  int reported = 0;
  for (int i = 0; i < mutants; ++i) {
    std::string text = mutator(original, rng);
    // On a crash Catch prints this message, so the failing input is known.
    INFO("mutant " << i << " of " << name << ":\n" << text);
    axon::FrontendResult r;
    REQUIRE_NOTHROW(axon::run_frontend_text(name, text, r));
    with_errors += r.diags.has_errors() ? 1 : 0;
    std::string problems;
    for (const axon::Diagnostic& d : r.diags.all()) {
      if (d.code.empty() || d.message.empty()) problems += "  a diagnostic without code or message\n";
      std::string p = range_problem(d.range, r.program.files);
      if (!p.empty()) problems += "  " + d.code + " " + d.message + ": " + p + "\n";
      for (const axon::DiagnosticNote& n : d.notes) {
        std::string np = range_problem(n.range, r.program.files);
        if (!np.empty()) problems += "  note '" + n.message + "' of " + d.code + ": " + np + "\n";
      }
      if (axon::render(d, r.program.files).empty()) problems += "  renders as nothing\n";
    }
    if (!problems.empty() && reported++ < 3)
      report += "mutant " + std::to_string(i) + " of " + name + ":\n" + text + "\n---\n" + problems +
                axon::render_all(r.diags, r.program.files) + "\n";
  }
  return report;
}

std::string fuzz(const std::string& path, int mutants, unsigned seed, int& with_errors, Mutator mutator = mutate) {
  return fuzz_text(axon_test::relative_to_source(path), axon_test::read_text_file(path), mutants, seed, with_errors,
                   mutator);
}

// AXON_FUZZ_SCALE=N runs N times as many mutants, with other seeds, for a deeper search.
int scale() {
  const char* s = std::getenv("AXON_FUZZ_SCALE");
  return s && std::atoi(s) > 0 ? std::atoi(s) : 1;
}

}  // namespace

TEST_CASE("mutated cuba.axon never crashes the front end", "[robustness]") {
  int with_errors = 0;
  int mutants = 600 * scale();
  std::string report = fuzz(AXON_SOURCE_DIR "/models/cuba.axon", mutants, 20240501u + scale() - 1, with_errors);
  INFO(report);
  CHECK(report.empty());
  // The mutations must actually produce bad programs, or this test proves nothing.
  CHECK(with_errors > mutants * 2 / 3);
}

TEST_CASE("cuba.axon with names and numbers and units swapped never crashes sema", "[robustness]") {
  int with_errors = 0;
  int mutants = 600 * scale();
  std::string report = fuzz(AXON_SOURCE_DIR "/models/cuba.axon", mutants, 99u + scale() - 1, with_errors, mutate_words);
  INFO(report);
  CHECK(report.empty());
  CHECK(with_errors > mutants / 3);
}

TEST_CASE("mutated shipped models never crash the front end", "[robustness]") {
  unsigned seed = 7 + 1000 * (scale() - 1);
  for (const char* dir : {"/models", "/stdlib"}) {
    for (const std::string& path : axon_test::files_under(AXON_SOURCE_DIR + std::string(dir), ".axon")) {
      int with_errors = 0;
      int mutants = 60 * scale();
      std::string report = fuzz(path, mutants, seed++, with_errors);
      report += fuzz(path, mutants, seed++, with_errors, mutate_words);
      INFO(report);
      CHECK(report.empty());
      CHECK(with_errors > mutants / 2);  // of 2 * mutants programs
    }
  }
}

// The golden-diagnostic cases are small programs that reach every check: mutated, they
// reach the checks' error paths in odd combinations.
TEST_CASE("mutated diagnostic fixture cases never crash the front end", "[robustness]") {
  unsigned seed = 31 + 1000 * (scale() - 1);
  size_t cases = 0;
  for (const std::string& path : axon_test::files_under(AXON_TESTS_DIR "/frontend/diagnostics", ".axon")) {
    std::string fixture = std::filesystem::path(path).filename().string();
    for (const axon_test::FixtureCase& c : axon_test::split_fixture(fixture, axon_test::read_text_file(path))) {
      int with_errors = 0;
      std::string report = fuzz_text(fixture, c.text, 10 * scale(), seed++, with_errors);
      report += fuzz_text(fixture, c.text, 10 * scale(), seed++, with_errors, mutate_words);
      INFO(report);
      CHECK(report.empty());
      ++cases;
    }
  }
  CHECK(cases > 50);
}
