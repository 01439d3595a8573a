#pragma once

#include "stream/StreamDecoder.h"

namespace Slopscope::Test {

// A tiny line protocol for the engine's tests, standing in for the real dialect decoders:
//   "D:<text>"  answer content        "R:<text>"  reasoning content
//   ":..."/""   keep-alive (nothing)  "END"       terminal marker → Complete
//   "ERR:<type>:<message>"            in-band error → Error
// A non-2xx body is kept as the error message; a JSON body's error.type/code become the type.
class TestLineDecoder final : public StreamDecoder
{
public:
    explicit TestLineDecoder(int httpStatus);

    void feed(QByteArrayView bytes) override;
    void finish() override;
    QList<ContentDelta> takeDeltas() override;
    [[nodiscard]] const StreamResult &result() const override { return m_result; }

    // A DecoderFactory that makes these.
    static std::unique_ptr<StreamDecoder> make(Dialect dialect, int httpStatus, const QByteArray &contentType);

private:
    void line(const QByteArray &line);

    int m_status;
    QByteArray m_buffer;
    QList<ContentDelta> m_deltas;
    StreamResult m_result;
};

} // namespace Slopscope::Test
