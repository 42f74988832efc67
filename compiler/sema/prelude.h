// The prelude: models every program sees without an import (the Static synapse, the
// Poisson source), written in axon itself and compiled into the binary.
#pragma once

namespace axon::sema {

extern const char* const kPreludeName;
extern const char* const kPreludeText;

}  // namespace axon::sema
