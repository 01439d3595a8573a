#pragma once

namespace Slopscope {

// Why an attempt ended without a complete answer. Each has its own message (EngineText).
enum class FailureKind {
    None,           // complete answer
    Cancelled,      // the user cancelled: a state, not an error
    HttpStatus,     // a non-2xx response
    InBandError,    // an error event inside a 200 stream
    Incomplete,     // the provider said it stopped early
    Truncated,      // clean EOF without the protocol's terminal marker
    ConnectionLost, // the connection broke while the body was streaming
    RemoteClosed,   // the server closed the connection before answering
    HostNotFound,   // DNS
    ConnectionRefused,
    Tls, // never retried, never ignored
    Proxy,
    Network, // any other transport failure
    ConnectTimeout,
    FirstByteTimeout,   // connected and sent, but no response bytes
    FirstTokenTimeout,  // bytes arrive, but no content yet
    IdleTimeout,        // no bytes at all for the idle period
    ContentIdleTimeout, // bytes (keep-alives) but no content for the content-idle period
    TotalTimeout,       // the per-request deadline
    Redirect,           // a 3xx: not followed, so credentials stay with the provider
    ResponseTooLarge,
    NotSent, // refused before sending (missing key, insecure key, bad URL)
};

inline bool isTimeout(FailureKind kind)
{
    switch (kind) {
    case FailureKind::ConnectTimeout:
    case FailureKind::FirstByteTimeout:
    case FailureKind::FirstTokenTimeout:
    case FailureKind::IdleTimeout:
    case FailureKind::ContentIdleTimeout:
    case FailureKind::TotalTimeout:
        return true;
    default:
        return false;
    }
}

} // namespace Slopscope
