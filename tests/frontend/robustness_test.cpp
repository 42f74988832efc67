// Bad input must never crash the front end: randomly mutated shipped models (tokens
// deleted, duplicated, swapped or replaced, characters inserted or removed, the file cut
// short) all go through parse and sema, and every diagnostic points at a real place.

#include <catch2/catch.hpp>

#include <cctype>
#include <random>
#include <sstream>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/frontend.h"
#include "test_files.h"

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
    "{", "}", "(", ")", "[", "]", "'", "=", ":", ";", ".", ",", "+", "-", "*", "/", "^",
    "<", ">", "@", "\"", "#", "\n", "0", "9", "x", "\xC2\xB5", "\xC3\xA9", "\xFF", "\xC2",
    "->", "//", "/*", "on", "post", "pre", "spike", "state", "let", "[0:", "1e999", "0"};

std::string mutate(const std::string& text, std::mt19937& rng) {
  std::vector<std::string> tokens = tokens_of(text);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  int edits = 1 + static_cast<int>(pick(3));
  for (int k = 0; k < edits && !tokens.empty(); ++k) {
    size_t a = pick(tokens.size());
    size_t b = pick(tokens.size());
    switch (pick(7)) {
      case 0: tokens.erase(tokens.begin() + a); break;
      case 1: tokens.insert(tokens.begin() + a, tokens[a]); break;
      case 2: std::swap(tokens[a], tokens[b]); break;
      case 3: tokens[a] = tokens[b]; break;
      case 4: tokens.insert(tokens.begin() + a, kInserted[pick(kInserted.size())]); break;
      case 5: {
        std::string& t = tokens[a];
        t.erase(pick(t.size()), 1);
        break;
      }
      case 6: tokens.resize(a); break;
    }
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

// Runs the front end over `mutants` mutations of `path`; returns a report of every
// mutant whose diagnostics are broken ("" when all are fine).
std::string fuzz(const std::string& path, int mutants, unsigned seed, int& with_errors) {
  const std::string original = axon_test::read_text(path);
  const std::string name = axon_test::relative_to_source(path);
  std::mt19937 rng(seed);
  std::string report;
  int reported = 0;
  for (int i = 0; i < mutants; ++i) {
    std::string text = mutate(original, rng);
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

}  // namespace

TEST_CASE("mutated cuba.axon never crashes the front end", "[robustness]") {
  int with_errors = 0;
  std::string report = fuzz(AXON_SOURCE_DIR "/models/cuba.axon", 600, 20240501u, with_errors);
  INFO(report);
  CHECK(report.empty());
  // The mutations must actually produce bad programs, or this test proves nothing.
  CHECK(with_errors > 400);
}

TEST_CASE("mutated shipped models never crash the front end", "[robustness]") {
  unsigned seed = 7;
  for (const char* dir : {"/models", "/stdlib"}) {
    for (const std::string& path : axon_test::files_under(AXON_SOURCE_DIR + std::string(dir), ".axon")) {
      int with_errors = 0;
      std::string report = fuzz(path, 150, seed++, with_errors);
      INFO(report);
      CHECK(report.empty());
      CHECK(with_errors > 50);
    }
  }
}
