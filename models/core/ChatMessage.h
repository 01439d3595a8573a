#pragma once

#include <QString>

namespace Slopscope {

// One chat turn as suites hold it and requests send it; each dialect maps the roles its own way.
struct ChatMessage
{
    QString role; // "system", "user" or "assistant"
    QString content;

    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

} // namespace Slopscope
