#include "core/SecretString.h"

#include <QByteArray>

#include <atomic>
#include <cstring>
#include <utility>

#if defined(Q_OS_WIN)
#include <windows.h>
#elif defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD) || defined(Q_OS_OPENBSD)
#include <strings.h> // explicit_bzero
#define SLOPSCOPE_HAVE_EXPLICIT_BZERO 1
#endif

namespace Slopscope {

namespace {

std::atomic<SecretString::WipeObserver> g_wipeObserver{nullptr};

} // namespace

void SecretString::wipe(void *data, std::size_t size)
{
    if (!data || size == 0)
        return;
#if defined(Q_OS_WIN)
    SecureZeroMemory(data, size);
#elif defined(SLOPSCOPE_HAVE_EXPLICIT_BZERO)
    explicit_bzero(data, size);
#else
    // macOS has memset_s, but only with __STDC_WANT_LIB_EXT1__ before the first <string.h>; a
    // volatile write is portable and equally kept.
    volatile unsigned char *p = static_cast<volatile unsigned char *>(data);
    while (size--)
        *p++ = 0;
#endif
}

void SecretString::setWipeObserver(WipeObserver observer)
{
    g_wipeObserver.store(observer);
}

SecretString::SecretString(QStringView text)
{
    QByteArray utf8 = text.toUtf8();
    assign(utf8.constData(), utf8.size());
    wipe(utf8.data(), static_cast<std::size_t>(utf8.size()));
}

SecretString SecretString::fromUtf8(QByteArrayView bytes)
{
    SecretString s;
    s.assign(bytes.data(), bytes.size());
    return s;
}

SecretString SecretString::takeFrom(QString &text)
{
    SecretString s(text);
    // fill() detaches a shared string first, so only an unshared buffer is really overwritten.
    text.fill(QChar(u'\0'));
    text.clear();
    return s;
}

SecretString::SecretString(const SecretString &other)
{
    assign(other.m_data, other.m_size);
}

SecretString &SecretString::operator=(const SecretString &other)
{
    if (this != &other)
        assign(other.m_data, other.m_size);
    return *this;
}

SecretString::SecretString(SecretString &&other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0))
{}

SecretString &SecretString::operator=(SecretString &&other) noexcept
{
    if (this != &other) {
        release();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

SecretString::~SecretString()
{
    release();
}

void SecretString::clear()
{
    release();
}

void SecretString::assign(const char *data, qsizetype size)
{
    release();
    if (size <= 0)
        return;
    m_data = new char[static_cast<std::size_t>(size)];
    std::memcpy(m_data, data, static_cast<std::size_t>(size));
    m_size = size;
}

void SecretString::release()
{
    if (m_data) {
        wipe(m_data, static_cast<std::size_t>(m_size));
        if (const WipeObserver observer = g_wipeObserver.load())
            observer(QByteArrayView(m_data, m_size));
        delete[] m_data;
    }
    m_data = nullptr;
    m_size = 0;
}

QString SecretString::revealAsQString() const
{
    return QString::fromUtf8(m_data, m_size);
}

bool SecretString::equals(QStringView text) const
{
    const SecretString other(text);
    return *this == other;
}

bool operator==(const SecretString &a, const SecretString &b)
{
    if (a.m_size != b.m_size)
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.m_size; ++i)
        diff |= static_cast<unsigned char>(a.m_data[i] ^ b.m_data[i]);
    return diff == 0;
}

} // namespace Slopscope
