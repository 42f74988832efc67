#include "verify.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <regex>
#include <sstream>

#include "cli/pipeline.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/frontend.h"
#include "compiler/units/unit.h"
#include "test_files.h"

namespace axon_test {

namespace {

const std::regex kSeparator(R"(^\s*// -----\s*$)");
// `// expected-KIND[@LOCATION] {{TEXT}}`; TEXT runs to the last `}}` on the line.
const std::regex kDirective(R"(//\s*expected-(error|warning|note|hint)(?:@(\S+?))?\s*\{\{(.*)\}\}\s*$)");
const std::regex kCodeMessage(R"(^([EW]\d{3}): (.+)$)");
// `// stage: lower|run` and `// run-with: --OPTION VALUE` (see verify.h).
const std::regex kStage(R"(^\s*//\s*stage:\s*(\S+)\s*$)");
const std::regex kRunWith(R"(^\s*//\s*run-with:\s*--(\S+)\s+(.+?)\s*$)");

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

std::string substitute(std::string text) {
  const std::string var = "${STDLIB}";
  for (size_t at; (at = text.find(var)) != std::string::npos;)
    text.replace(at, var.size(), std::string(AXON_SOURCE_DIR) + "/stdlib");
  return text;
}

std::string trim_right(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

// One expected diagnostic while its comments are being read.
struct Pending {
  std::string head;  // "error[E020] @12:14: message"
  std::vector<std::string> notes;
  std::string hint;
  bool has_hint = false;

  std::string canonical() const {
    std::string s = head;
    for (const std::string& n : notes) s += "\n  " + n;
    if (has_hint) s += "\n  hint: " + hint;
    return s;
  }
};

// "@+1:14" written on line `here` -> "@15:14"; "@<prelude>:5:3" -> "@<prelude>:5:3".
bool parse_location(const std::string& spec, unsigned here, std::string& out, std::string& error) {
  if (spec == "?") {  // a diagnostic without a place (E081, E083)
    out = "@?";
    return true;
  }
  std::vector<std::string> parts;
  std::stringstream ss(spec);
  for (std::string p; std::getline(ss, p, ':');) parts.push_back(p);
  std::string file;
  if (parts.size() == 3) {
    file = parts[0] + ":";
    parts.erase(parts.begin());
  }
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    error = "location '" + spec + "' needs a line and a column, e.g. @+1:14";
    return false;
  }
  const std::string& l = parts[0];
  bool relative = l[0] == '+' || l[0] == '-';
  std::string digits = relative ? l.substr(1) : l;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      parts[1].find_first_not_of("0123456789") != std::string::npos || (relative && !file.empty())) {
    error = "cannot read location '" + spec + "'";
    return false;
  }
  long n = std::stol(digits);
  long line = !relative ? n : l[0] == '+' ? long(here) + n : long(here) - n;
  if (line < 1) {
    error = "location '" + spec + "' lies before the first line";
    return false;
  }
  out = "@" + file + std::to_string(line) + ":" + parts[1];
  return true;
}

// A quantity of `dim` ("0.1 ms") in SI, or an error text.
std::optional<double> quantity(const std::string& text, const axon::units::Dimension& dim, std::string& error) {
  axon::units::QuantityParseResult q = axon::units::parse_quantity(text);
  if (!q.value_si || q.dim != dim) {
    error = "'" + text + "' is not a quantity of " + axon::units::describe_dimension(dim);
    return std::nullopt;
  }
  return q.value_si;
}

// Reads a `stage:` or `run-with:` line into `c`; false when `line` is neither. A
// malformed one returns true with `error` set.
bool parse_stage_line(FixtureCase& c, const std::string& line, std::string& error) {
  std::smatch m;
  if (std::regex_match(line, m, kStage)) {
    if (m[1] == "lower")
      c.stage = Stage::Lower;
    else if (m[1] == "run")
      c.stage = Stage::Run;
    else
      error = "the stage is 'lower' or 'run', not '" + m[1].str() + "'";
    return true;
  }
  if (!std::regex_match(line, m, kRunWith)) return false;
  const std::string option = m[1], value = m[2];
  const axon::units::Dimension time = axon::units::dims::time();
  if (c.stage != Stage::Run)
    error = "run-with follows '// stage: run'";
  else if (option == "set")
    c.sets.push_back(value);
  else if (option == "dt")
    c.dt = quantity(value, time, error);
  else if (option == "duration")
    c.duration = quantity(value, time, error);
  else if (option == "max-memory")
    c.max_memory_bytes = std::atof(value.c_str());
  else
    error = "run-with takes --set, --dt, --duration or --max-memory, not --" + option;
  return true;
}

// Reads one case's expectation comments.
void parse_expectations(FixtureCase& c, const std::vector<std::string>& lines) {
  std::vector<Pending> done;
  Pending current;
  bool open = false;
  auto where = [&](size_t k) { return c.fixture + ":" + std::to_string(c.first_line + k); };
  for (size_t k = 0; k < lines.size(); ++k) {
    const std::string& line = lines[k];
    if (std::string error; parse_stage_line(c, line, error)) {
      if (!error.empty()) c.format_errors.push_back(where(k) + ": " + error);
      c.code_lines.push_back(trim_right(line));  // a twin may differ in a run-with line only
      continue;
    }
    size_t comment = line.find("// expected-");
    std::string code = trim_right(line.substr(0, std::min(comment, line.size())));
    if (!code.empty() && code.find_first_not_of(" \t") != std::string::npos &&
        code.substr(code.find_first_not_of(" \t"), 2) != "//")
      c.code_lines.push_back(code);
    if (comment == std::string::npos) {
      if (line.find("expected-") != std::string::npos)
        c.format_errors.push_back(where(k) + ": write expectations as '// expected-...'");
      continue;
    }
    std::smatch m;
    std::string rest = line.substr(comment);
    if (!std::regex_match(rest, m, kDirective)) {
      c.format_errors.push_back(where(k) + ": cannot read '" + rest + "'");
      continue;
    }
    std::string kind = m[1], spec = m[2], text = substitute(m[3]);
    unsigned here = c.first_line + static_cast<unsigned>(k);
    if (kind == "hint") {
      if (!open || current.has_hint || !spec.empty())
        c.format_errors.push_back(where(k) + ": a hint has no location and follows its error");
      current.hint = text;
      current.has_hint = true;
      continue;
    }
    std::string loc, error;
    if (!parse_location(spec, here, loc, error)) {
      c.format_errors.push_back(where(k) + ": " + error);
      continue;
    }
    if (kind == "note") {
      if (!open) c.format_errors.push_back(where(k) + ": a note follows the error it belongs to");
      current.notes.push_back("note " + loc + ": " + text);
      continue;
    }
    std::smatch cm;
    if (!std::regex_match(text, cm, kCodeMessage)) {
      c.format_errors.push_back(where(k) + ": write the message as {{E020: text}}");
      continue;
    }
    if (open) done.push_back(current);
    current = Pending{kind + "[" + cm[1].str() + "] " + loc + ": " + cm[2].str(), {}, "", false};
    open = true;
  }
  if (open) done.push_back(current);
  for (const Pending& p : done) c.expected.push_back(p.canonical());
}

std::string location(const axon::SourceRange& r, const axon::SourceFiles& files, uint32_t own) {
  if (!r.valid() || r.file > files.size()) return "@?";
  std::string file = r.file == own ? "" : relative_to_source(files.get(r.file).name) + ":";
  return "@" + file + std::to_string(r.line) + ":" + std::to_string(r.col);
}

std::string canonical(const axon::Diagnostic& d, const axon::SourceFiles& files, uint32_t own) {
  const char* severity = d.severity == axon::Severity::Error     ? "error"
                         : d.severity == axon::Severity::Warning ? "warning"
                                                                 : "note";
  std::string s = std::string(severity) + "[" + d.code + "] " + location(d.range, files, own) + ": " + d.message;
  for (const axon::DiagnosticNote& n : d.notes) s += "\n  note " + location(n.range, files, own) + ": " + n.message;
  if (!d.hint.empty()) s += "\n  hint: " + d.hint;
  return s;
}

std::string indent(const std::string& text, const std::string& by) {
  std::string out;
  for (const std::string& l : lines_of(text)) out += by + l + "\n";
  return out;
}

// Lines of `a` and `b` that the other lacks (by longest common subsequence).
size_t differing_lines(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<size_t>> lcs(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  return a.size() + b.size() - 2 * lcs[0][0];
}

}  // namespace

std::vector<FixtureCase> split_fixture(const std::string& name, const std::string& text) {
  std::vector<FixtureCase> cases;
  std::vector<std::string> lines = lines_of(text);
  size_t start = 0;
  for (size_t k = 0; k <= lines.size(); ++k) {
    if (k < lines.size() && !std::regex_match(lines[k], kSeparator)) continue;
    std::vector<std::string> body(lines.begin() + start, lines.begin() + k);
    FixtureCase c;
    c.fixture = name;
    c.first_line = static_cast<unsigned>(start + 1);
    c.text = std::string(start, '\n');
    for (const std::string& l : body) c.text += l + "\n";
    parse_expectations(c, body);
    if (!c.code_lines.empty()) cases.push_back(std::move(c));
    start = k + 1;
  }
  return cases;
}

namespace {

// The stage after the front end that `c` names, on the checked program; its
// diagnostics go to `diags`. An exception (an I/O failure of the engine) is returned.
std::string run_stage(const FixtureCase& c, axon::sema::Program& program, axon::Diagnostics& diags) {
  try {
    if (c.stage == Stage::Lower) {
      axon::emit_program(program, "", "ir", "", diags);
    } else if (c.stage == Stage::Run) {
      axon::engine::RunRequest req;
      req.sets = c.sets;
      req.dt = c.dt;
      req.duration = c.duration;
      req.max_memory_bytes = c.max_memory_bytes;
      req.threads = 1;  // the fixtures' networks are tiny
      axon::engine::RunSummary summary;
      axon::run_program(program, req, diags, summary);
    }
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
  return "";
}

}  // namespace

std::string verify_case(const FixtureCase& c) {
  std::string header = c.fixture + ":" + std::to_string(c.first_line) + ": case\n";
  if (!c.format_errors.empty()) {
    std::string out = header + "  malformed expectations:\n";
    for (const std::string& e : c.format_errors) out += "    " + e + "\n";
    return out;
  }
  // The expectations name the default search path: the stdlib only.
  ::unsetenv("AXON_PATH");
  axon::FrontendResult r;
  axon::run_frontend_text(c.fixture, c.text, r);
  // The later stage runs only on a program that checks, as in `axon run`.
  axon::Diagnostics later;
  std::string exception;
  if (c.stage != Stage::Check && r.ok) exception = run_stage(c, r.program, later);
  uint32_t own = r.program.user_files.empty() ? 0 : r.program.user_files.front();
  std::vector<std::string> actual;
  for (const axon::Diagnostic& d : r.diags.all()) actual.push_back(canonical(d, r.program.files, own));
  for (const axon::Diagnostic& d : later.all()) actual.push_back(canonical(d, r.program.files, own));
  if (!exception.empty()) actual.push_back(exception);

  std::vector<std::string> expected = c.expected;
  std::sort(expected.begin(), expected.end());
  std::sort(actual.begin(), actual.end());
  std::vector<std::string> missing, unexpected;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(unexpected));
  if (missing.empty() && unexpected.empty()) return "";

  std::string out = header;
  if (!missing.empty()) {
    out += "  expected but not reported:\n";
    for (const std::string& m : missing) out += indent(m, "    ");
  }
  if (!unexpected.empty()) {
    out += "  reported but not expected:\n";
    for (const std::string& u : unexpected) out += indent(u, "    ");
  }
  out += "  the front end said:\n" + indent(axon::render_all(r.diags, r.program.files), "    | ");
  if (c.stage != Stage::Check)
    out += "  the later stage said:\n" + indent(axon::render_all(later, r.program.files), "    | ");
  return out;
}

std::string check_twins(const std::vector<FixtureCase>& cases) {
  std::string out;
  for (size_t i = 0; i < cases.size(); ++i) {
    if (cases[i].expected.empty()) continue;
    std::string where = cases[i].fixture + ":" + std::to_string(cases[i].first_line);
    if (i + 1 == cases.size() || !cases[i + 1].expected.empty()) {
      out += where + ": an invalid case must be followed by its valid twin\n";
      continue;
    }
    size_t d = differing_lines(cases[i].code_lines, cases[i + 1].code_lines);
    if (d == 0 || d > 4)
      out += where + ": the valid twin differs in " + std::to_string(d) + " lines; a twin changes one or two lines\n";
  }
  return out;
}

}  // namespace axon_test
