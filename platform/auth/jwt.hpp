#pragma once

// Everything a service needs for access tokens: sign (user service), verify (everyone).
#include "platform/auth/claims.hpp"
#include "platform/auth/jwt_signer.hpp"
#include "platform/auth/jwt_verifier.hpp"
