#pragma once

#include <QByteArrayView>
#include <QString>

#include <cstddef>

namespace Slopscope {

// An API key (or any credential) in a heap buffer of UTF-8 bytes that is wiped, with a write the
// compiler may not elide, when the value is destroyed, reassigned or cleared. Best effort
// (RELIABILITY S-13): it keeps our own copies short-lived; the copies other code makes (Qt's
// QNetworkRequest headers, QtKeychain's QString, the process environment) are outside its reach.
//
// Copying is a deep copy, wiped in turn. There is deliberately no conversion to QString: the
// bytes come out only through reveal() where a request header is built, and revealAsQString()
// where an API demands a QString (QtKeychain, a settings field).
class SecretString final
{
public:
    SecretString() = default;
    explicit SecretString(QStringView text);
    [[nodiscard]] static SecretString fromUtf8(QByteArrayView bytes);
    // Copies `text` and overwrites it: the caller's QString is wiped too when it owned its data
    // alone (a shared one is only detached, the other owners' copies stay).
    [[nodiscard]] static SecretString takeFrom(QString &text);

    SecretString(const SecretString &other);
    SecretString &operator=(const SecretString &other);
    SecretString(SecretString &&other) noexcept;
    SecretString &operator=(SecretString &&other) noexcept;
    ~SecretString();

    [[nodiscard]] bool isEmpty() const { return m_size == 0; }
    [[nodiscard]] qsizetype size() const { return m_size; }
    void clear();

    // The UTF-8 bytes, valid until this value changes. Only for building the header that carries it.
    [[nodiscard]] QByteArrayView reveal() const { return {m_data, m_size}; }
    // An unprotected copy for APIs that take a QString; the caller keeps it as short as it can.
    [[nodiscard]] QString revealAsQString() const;
    // Compares without revealing (and in time independent of where the bytes first differ).
    [[nodiscard]] bool equals(QStringView text) const;

    friend bool operator==(const SecretString &a, const SecretString &b);

    // Test seam: called with each buffer right after it was wiped and before it is freed, so a
    // test can check the zeroing without reading freed memory. nullptr to stop.
    using WipeObserver = void (*)(QByteArrayView wiped);
    static void setWipeObserver(WipeObserver observer);

    // Zeroes `size` bytes at `data` in a way the optimiser keeps (explicit_bzero, SecureZeroMemory,
    // or a volatile loop).
    static void wipe(void *data, std::size_t size);

private:
    void assign(const char *data, qsizetype size);
    void release();

    char *m_data = nullptr;
    qsizetype m_size = 0;
};

} // namespace Slopscope
