//
// Utf8.h
//
// UTF-8 validation for WebSocket text (RFC 6455 §8.1: invalid text closes
// the connection with 1007): shortest forms only, no surrogates, nothing
// above U+10FFFF.
//

#ifndef CAMSVC_CORE_UTF8_H
#define CAMSVC_CORE_UTF8_H

#include <string_view>

namespace camsvc::core {

bool validUtf8(std::string_view text);

} // namespace camsvc::core

#endif // CAMSVC_CORE_UTF8_H
