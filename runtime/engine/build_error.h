// A model error found while the network is built (a bad file, a drawn value out of
// range): reported as E082 at `range` when the value's place in the source is known.
#pragma once

#include <stdexcept>
#include <string>

#include "compiler/diagnostics/source.h"

namespace axon::engine {

class BuildError : public std::runtime_error {
 public:
  explicit BuildError(const std::string& what, SourceRange where = {}) : std::runtime_error(what), range(where) {}
  SourceRange range;
};

}  // namespace axon::engine
