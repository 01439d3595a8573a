#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <memory>

class QProcess;
class QTemporaryDir;

namespace Slopscope {

// How generated code is run. Defaults: bubblewrap from PATH, 10 s, 512 MiB of address space,
// 64 KiB of output kept per stream.
struct CodeSandboxSettings
{
    // bwrap: a name looked up on PATH or a path. Tests point it at a missing file.
    QString bwrap = QStringLiteral("bwrap");
    // Without bubblewrap (or off Linux) generated code runs only with this explicit opt-in, and
    // then unsandboxed: with the limits below but with the user's files and network.
    bool allowUnsandboxed = false;
    int timeoutMs = 10'000;
    qint64 memoryBytes = 512LL * 1024 * 1024;
    qint64 outputCapBytes = 64 * 1024;

    // The defaults, with allowUnsandboxed from SLOPSCOPE_CODE_TESTS_UNSANDBOXED=1.
    static CodeSandboxSettings fromEnvironment();
    friend bool operator==(const CodeSandboxSettings &, const CodeSandboxSettings &) = default;
};

// One code-tests run: the answer's code and the case's tests.
struct CodeTestRequest
{
    QString code;
    QString tests;
    QString interpreter = QStringLiteral("python3");
};

struct CodeTestOutcome
{
    enum class Status { Passed, Failed, TimedOut, Error, Cancelled };
    Status status = Status::Error;
    double score = 0.0; // 1 on a pass; "passed N of M" on stdout gives N/M
    QString reason;     // plain text; quotes the program's output, which is untrusted
    int exitCode = -1;
    bool sandboxed = false;
    QByteArray stdOut; // capped at outputCapBytes
    QByteArray stdErr;
    qint64 elapsedMs = 0;

    [[nodiscard]] bool pass() const { return status == Status::Passed; }
};

// Runs one code-tests check asynchronously (QProcess; nothing blocks the caller's thread).
//
// The contract: a fresh temporary directory holds the code as solution.<ext> and the tests as
// test_solution.<ext> (.py for Python); `<interpreter> test_solution.<ext>` runs there, so the
// tests reach the code with `import solution` (Python; require('./solution') for node). Exit code
// 0 passes. A line "passed N of M" on stdout sets the score to N/M (exit 0 still decides the pass).
//
// On Linux the interpreter runs under bubblewrap: every namespace unshared (no network), /usr
// and its /bin, /lib, /lib64 links read-only, fresh /proc, /dev and /tmp, the directory as
// /sandbox read-write, nothing of $HOME, a new session, killed with its parent. The interpreter
// must therefore live under /usr (it is looked up in /usr/local/bin, /usr/bin, /bin). Limits:
// wall time (the process group is killed), address space and file size (setrlimit in the child,
// inherited through bwrap), and output kept up to a cap (the rest is read and dropped).
class CodeSandbox final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeSandbox)

public:
    explicit CodeSandbox(CodeSandboxSettings settings, QObject *parent = nullptr);
    ~CodeSandbox() override;

    // Emits finished exactly once, never from inside start() or cancel() (queued), so a caller
    // may start or cancel in any state.
    void start(const CodeTestRequest &request);
    // Kills the run; finished comes with Status::Cancelled.
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_process != nullptr; }

    // The file extension of an interpreter's language ("py" for python3).
    static QString extensionOf(const QString &interpreter);

Q_SIGNALS:
    void finished(const Slopscope::CodeTestOutcome &outcome);

private:
    void finishLater(CodeTestOutcome outcome);
    void onProcessFinished(int exitCode, bool crashed);
    void onTimeout();
    void readOutput();
    void killGroup();
    [[nodiscard]] QString resolveInterpreter(const QString &interpreter, bool sandboxed, QString *error) const;
    [[nodiscard]] QStringList bwrapArguments(const QString &dir, const QString &interpreter,
                                             const QString &script) const;

    CodeSandboxSettings m_settings;
    QProcess *m_process = nullptr; // child while running
    std::unique_ptr<QTemporaryDir> m_dir;
    QTimer m_timer;
    QElapsedTimer m_clock;
    CodeTestOutcome m_outcome;
    qint64 m_pid = 0;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_done = false;
};

} // namespace Slopscope

Q_DECLARE_METATYPE(Slopscope::CodeTestOutcome)
