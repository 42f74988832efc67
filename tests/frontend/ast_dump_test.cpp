// AST dumps (`axon build FILE --emit=ast`) of shipped models compared with the golden
// files in tests/frontend/golden/, locations included. After an intended change to the
// AST or its printer, regenerate them with AXON_UPDATE_GOLDEN=1 and review the diff.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "compiler/ast/print.h"
#include "compiler/driver/frontend.h"
#include "test_files.h"

namespace {

// The dump of the user's module in `relative_path` (relative to the source tree, which
// is also the name its first line shows, as `axon build` run from the source tree does).
std::string dump_of(const std::string& relative_path) {
  std::string text = axon_test::read_text_file(std::string(AXON_SOURCE_DIR) + "/" + relative_path);
  axon::FrontendResult r;
  axon::run_frontend_text(relative_path, text, r);
  INFO(axon::render_all(r.diags, r.program.files));
  REQUIRE(r.ok);
  REQUIRE(r.program.user_files.size() == 1);
  for (const axon::ast::Module& m : r.program.modules)
    if (m.file == r.program.user_files.front()) return axon::ast::dump(m, r.program.files);
  FAIL("the user's module is missing");
  return "";
}

void check_golden(const std::string& relative_path, const std::string& golden) {
  std::string path = std::string(AXON_TESTS_DIR) + "/frontend/golden/" + golden;
  std::string actual = dump_of(relative_path);
  if (const char* update = std::getenv("AXON_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("rewrote " << path);
  }
  // Catch prints both texts in full when they differ.
  CHECK(actual == axon_test::read_text_file(path));
}

}  // namespace

TEST_CASE("AST dump of models/cuba.axon", "[ast]") { check_golden("models/cuba.axon", "cuba.ast"); }

TEST_CASE("AST dump of models/coba_synapse.axon", "[ast]") {
  check_golden("models/coba_synapse.axon", "coba_synapse.ast");
}

TEST_CASE("AST dump of stdlib/neurons/lif.axon", "[ast]") { check_golden("stdlib/neurons/lif.axon", "lif.ast"); }

// The printer itself: precedence shows as parentheses, units stay as written, every
// kind of statement and member appears with its location.
TEST_CASE("AST dump shows the structure of every construct", "[ast]") {
  const std::string text =
      "synapse Plastic {\n"
      "  parameter tau = 20 ms\n"
      "  per synapse state w = 0.5\n"
      "  per synapse state a = 0\n"
      "  event driven a' = -a / tau\n"
      "  on pre { post.target += w; a += 1 }\n"
      "  on post { w = clip(w + a, 0, 1) }\n"
      "}\n"
      "neuron Step {\n"
      "  parameter b = 2\n"
      "  state x = 1\n"
      "  update {\n"
      "    let y : 1 = b ^ -2 * x\n"
      "    if x > 3 { x = 0 } else { x = y }\n"
      "  }\n"
      "}\n";
  axon::FrontendResult r;
  axon::run_frontend_text("constructs.axon", text, r);
  INFO(axon::render_all(r.diags, r.program.files));
  REQUIRE(r.ok);
  CHECK(axon::ast::dump(r.program.modules.back(), r.program.files) ==
        "module constructs.axon\n"
        "  synapse Plastic @1:9\n"
        "    parameter tau = 20 ms @2:13\n"
        "    per synapse state w = 0.5 @3:21\n"
        "    per synapse state a = 0 @4:21\n"
        "    event driven a' = ((-a) / tau) @5:16\n"
        "    on pre @6:3\n"
        "      post.target += w @6:12\n"
        "      a += 1 @6:30\n"
        "    on post @7:3\n"
        "      w = clip((w + a), 0, 1) @7:13\n"
        "  neuron Step @9:8\n"
        "    parameter b = 2 @10:13\n"
        "    state x = 1 @11:9\n"
        "    update @12:3\n"
        "      let y : 1 = ((b ^ (-2)) * x) @13:5\n"
        "      if (x > 3) @14:5\n"
        "        x = 0 @14:16\n"
        "      else\n"
        "        x = y @14:31\n");
}
