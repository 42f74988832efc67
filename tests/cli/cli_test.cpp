// The `axon` command as a user runs it: exit codes (0 ok, 1 model error, 2 usage error,
// 3 I/O error), what goes to stdout and stderr, and --help for every subcommand.

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string kAxon = AXON_BINARY_DIR "/cli/axon";

struct Result {
  int rc = -1;  // the exit status; -1 when the process died of a signal
  std::string out, err;
};

// A scratch directory for this test run, removed at exit. (Never destroyed, so that
// the exit handler can still read its name.)
const std::string& scratch() {
  static const std::string* dir = [] {
    char tmpl[] = "/tmp/axon_cli_test.XXXXXX";
    char* made = ::mkdtemp(tmpl);
    REQUIRE(made != nullptr);
    auto* d = new std::string(made);
    std::atexit([] { std::system(("rm -rf '" + scratch() + "'").c_str()); });
    return d;
  }();
  return *dir;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string write(const std::string& name, const std::string& text) {
  std::string path = scratch() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Runs `axon ARGS` in `cwd` (the source tree unless said otherwise).
Result axon(const std::string& args, const std::string& cwd = AXON_SOURCE_DIR) {
  std::string err_file = scratch() + "/stderr.txt";
  std::string cmd = "cd '" + cwd + "' && '" + kAxon + "' " + args + " 2>'" + err_file + "'";
  Result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  int status = ::pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_all(err_file);
  return r;
}

#define SHOW(r) INFO("exit " << (r).rc << "\n--- stdout:\n" << (r).out << "--- stderr:\n" << (r).err)

// The subcommands `axon --help` lists.
std::vector<std::string> subcommands() {
  Result r = axon("--help");
  std::vector<std::string> names;
  std::stringstream ss(r.out.substr(r.out.find("Subcommands:")));
  std::string line;
  std::getline(ss, line);
  std::regex entry(R"(^\s+([a-z]+)\s+\S.*$)");
  while (std::getline(ss, line)) {
    std::smatch m;
    if (std::regex_match(line, m, entry)) names.push_back(m[1]);
  }
  return names;
}

const char* const kBadModel =
    "neuron Leaky {\n"
    "  parameter tau = 10 ms\n"
    "  parameter v_rest = -65 mV\n"
    "  state v = v_rest\n"
    "  v' = (v_rst - v) / tau\n"
    "}\n";

}  // namespace

TEST_CASE("axon --version prints the version", "[cli]") {
  Result r = axon("--version");
  SHOW(r);
  CHECK(r.rc == 0);
  CHECK(std::regex_match(r.out, std::regex(R"(axon \d+\.\d+\.\d+\n)")));
}

TEST_CASE("check of a valid model succeeds with a summary", "[cli]") {
  Result r = axon("check models/cuba.axon");
  SHOW(r);
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::StartsWith("models/cuba.axon: ok (1 model, 1 network: 4000 neurons"));
  CHECK(r.err.empty());
}

TEST_CASE("check of several models reports each", "[cli]") {
  Result r = axon("check models/cuba.axon models/coba_synapse.axon stdlib/neurons/lif.axon");
  SHOW(r);
  CHECK(r.rc == 0);
  CHECK_THAT(r.out, Catch::Contains("models/cuba.axon: ok"));
  CHECK_THAT(r.out, Catch::Contains("models/coba_synapse.axon: ok"));
  CHECK_THAT(r.out, Catch::Contains("stdlib/neurons/lif.axon: ok (1 model, 0 networks)"));
}

TEST_CASE("a model error exits 1 with the diagnostic on stderr", "[cli]") {
  write("bad.axon", kBadModel);
  Result r = axon("check bad.axon", scratch());
  SHOW(r);
  CHECK(r.rc == 1);
  CHECK(r.out == "bad.axon: 1 error\n");
  CHECK(r.err ==
        "bad.axon:5:9: error[E010]: unknown name 'v_rst'\n"
        " 5 |   v' = (v_rst - v) / tau\n"
        "   |         ^~~~~\n"
        "  = hint: did you mean 'v_rest'?\n");
}

TEST_CASE("one bad file among good ones makes check fail", "[cli]") {
  std::string bad = write("bad.axon", kBadModel);
  Result r = axon("check models/cuba.axon '" + bad + "'");
  SHOW(r);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::Contains("models/cuba.axon: ok"));
  CHECK_THAT(r.out, Catch::Contains(bad + ": 1 error"));
  CHECK_THAT(r.err, Catch::StartsWith(bad + ":5:9: error[E010]: unknown name 'v_rst'\n"));
}

TEST_CASE("syntax errors and unknown imports and non-UTF-8 files are model errors", "[cli]") {
  write("syntax.axon", "neuron N {\n  state v = (1 mV\n}\n");
  write("import.axon", "import neurons.nothing\n");
  write("latin1.axon", "// caf\xE9\nneuron N { }\n");
  Result syntax = axon("check syntax.axon", scratch());
  Result import = axon("check import.axon", scratch());
  Result latin1 = axon("check latin1.axon", scratch());
  SHOW(syntax);
  CHECK(syntax.rc == 1);
  CHECK_THAT(syntax.err, Catch::StartsWith("syntax.axon:3:1: error[E001]: unexpected '}'; expected ')'\n"));
  SHOW(import);
  CHECK(import.rc == 1);
  CHECK_THAT(import.err, Catch::StartsWith("import.axon:1:8: error[E002]: cannot find module 'neurons.nothing'\n"));
  SHOW(latin1);
  CHECK(latin1.rc == 1);
  CHECK_THAT(latin1.err, Catch::StartsWith("latin1.axon:1:7: error[E001]: byte 0xE9 is not valid UTF-8\n"));
}

TEST_CASE("build --emit=ast prints the golden AST", "[cli]") {
  Result r = axon("build models/cuba.axon --emit=ast");
  SHOW(r);
  CHECK(r.rc == 0);
  CHECK(r.out == read_all(AXON_TESTS_DIR "/frontend/golden/cuba.ast"));
  CHECK(r.err.empty());
}

TEST_CASE("build --emit=ast of a model with errors prints both and exits 1", "[cli]") {
  write("bad.axon", kBadModel);
  Result r = axon("build bad.axon --emit=ast", scratch());
  SHOW(r);
  CHECK(r.rc == 1);
  CHECK_THAT(r.out, Catch::StartsWith("module bad.axon\n  neuron Leaky @1:8\n"));
  CHECK_THAT(r.err, Catch::StartsWith("bad.axon:5:9: error[E010]"));
}

TEST_CASE("usage errors exit 2", "[cli]") {
  for (const char* args : {"", "frobnicate", "check", "build", "check --no-such-option models/cuba.axon",
                           "build models/cuba.axon --emit=bogus", "build models/cuba.axon --emit"}) {
    Result r = axon(args);
    INFO("axon " << args);
    SHOW(r);
    CHECK(r.rc == 2);
    CHECK_FALSE(r.err.empty());
  }
}

TEST_CASE("a missing input file exits 3", "[cli]") {
  for (const char* sub : {"check", "build"}) {
    Result r = axon(std::string(sub) + " no/such/model.axon");
    INFO("axon " << sub);
    SHOW(r);
    CHECK(r.rc == 3);
    CHECK_THAT(r.err, Catch::Contains("cannot read 'no/such/model.axon'"));
  }
}

TEST_CASE("axon --help and SUBCOMMAND --help work for every subcommand", "[cli]") {
  Result top = axon("--help");
  SHOW(top);
  CHECK(top.rc == 0);
  std::vector<std::string> subs = subcommands();
  // check and build always exist; run exists when the back end is built.
  CHECK(std::count(subs.begin(), subs.end(), "check") == 1);
  CHECK(std::count(subs.begin(), subs.end(), "build") == 1);
  for (const std::string& sub : subs) {
    Result r = axon(sub + " --help");
    INFO("axon " << sub << " --help");
    SHOW(r);
    CHECK(r.rc == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage:") && Catch::Contains(" " + sub + " "));
  }
}
