// Every model shipped in models/ and stdlib/ passes the front end without a single
// diagnostic (found at run time, so a new model is covered without editing this file).

#include <catch2/catch.hpp>

#include "compiler/driver/frontend.h"
#include "test_files.h"

TEST_CASE("every shipped model checks without diagnostics", "[models]") {
  std::vector<std::string> files = axon_test::files_under(AXON_SOURCE_DIR "/models", ".axon");
  std::vector<std::string> stdlib = axon_test::files_under(AXON_SOURCE_DIR "/stdlib", ".axon");
  files.insert(files.end(), stdlib.begin(), stdlib.end());
  // The glob must find the models we know of, or this test checks nothing.
  REQUIRE(files.size() >= 5);
  for (const std::string& path : files) {
    axon::FrontendResult r;
    axon::run_frontend({path}, r);
    INFO(axon_test::relative_to_source(path) << ":\n" << axon::render_all(r.diags, r.program.files));
    CHECK(r.diags.all().empty());
    CHECK(r.ok);
  }
}
