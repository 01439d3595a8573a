#include "quality/CodeSandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <utility>

#ifdef Q_OS_UNIX
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace Slopscope {

namespace {

struct CodeSandboxTr
{
    Q_DECLARE_TR_FUNCTIONS(CodeSandbox)
};

constexpr auto kSandboxDir = QLatin1StringView("/sandbox");
// Files written by the code under test; a flood into them stops here.
constexpr qint64 kMaxFileBytes = 64LL * 1024 * 1024;
constexpr int kReasonLines = 8;
constexpr qsizetype kReasonChars = 1200;

// Output as plain, printable text: control characters (terminal escapes included) go.
QString printable(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes);
    QString out;
    out.reserve(text.size());
    for (const QChar c : std::as_const(text)) {
        if (c == u'\n' || c == u'\t' || (!c.isNonCharacter() && c.category() != QChar::Other_Control))
            out.append(c);
    }
    return out;
}

// The last non-empty lines of the output, for a reason.
QStringList tailLines(const QByteArray &bytes)
{
    QStringList lines = printable(bytes).split(u'\n');
    QStringList out;
    for (auto it = lines.crbegin(); it != lines.crend() && out.size() < kReasonLines; ++it) {
        const QString line = it->trimmed().isEmpty() ? QString() : it->left(300);
        if (!line.isEmpty())
            out.prepend(line);
    }
    return out;
}

// "passed N of M": the tests' own count, when they print one.
std::optional<double> reportedScore(const QByteArray &stdOut)
{
    static const QRegularExpression line(QStringLiteral("^\\s*passed\\s+(\\d+)\\s+of\\s+(\\d+)\\s*$"),
                                         QRegularExpression::CaseInsensitiveOption |
                                             QRegularExpression::MultilineOption);
    std::optional<double> score;
    auto it = line.globalMatch(QString::fromUtf8(stdOut));
    while (it.hasNext()) {
        const auto m = it.next();
        const double passed = m.captured(1).toDouble();
        const double of = m.captured(2).toDouble();
        if (of > 0 && passed <= of)
            score = passed / of;
    }
    return score;
}

QString seconds(int ms)
{
    return QString::number(static_cast<double>(ms) / 1000.0, 'g', 3);
}

bool isUnder(const QString &path, const QString &dir)
{
    return path == dir || path.startsWith(dir + u'/');
}

} // namespace

CodeSandboxSettings CodeSandboxSettings::fromEnvironment()
{
    CodeSandboxSettings s;
    s.allowUnsandboxed = qEnvironmentVariable("SLOPSCOPE_CODE_TESTS_UNSANDBOXED") == u"1";
    return s;
}

CodeSandbox::CodeSandbox(CodeSandboxSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    qRegisterMetaType<Slopscope::CodeTestOutcome>();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &CodeSandbox::onTimeout);
}

CodeSandbox::~CodeSandbox()
{
    if (m_process) {
        killGroup();
        m_process->disconnect(this);
        m_process->waitForFinished(1000);
    }
}

QString CodeSandbox::extensionOf(const QString &interpreter)
{
    QString name = QFileInfo(interpreter).fileName().toLower();
    while (!name.isEmpty() && (name.back().isDigit() || name.back() == u'.'))
        name.chop(1);
    if (name == u"node" || name == u"nodejs")
        return QStringLiteral("js");
    if (name == u"ruby")
        return QStringLiteral("rb");
    if (name == u"perl")
        return QStringLiteral("pl");
    if (name == u"bash" || name == u"sh")
        return QStringLiteral("sh");
    return QStringLiteral("py");
}

QString CodeSandbox::resolveInterpreter(const QString &interpreter, bool sandboxed, QString *error) const
{
    const QString name = interpreter.trimmed().isEmpty() ? QStringLiteral("python3") : interpreter.trimmed();
    QString found;
    if (QFileInfo(name).isAbsolute()) {
        const QFileInfo info(name);
        if (info.isFile() && info.isExecutable())
            found = name;
    } else if (name.contains(u'/')) {
        *error = CodeSandboxTr::tr("the interpreter must be a name or an absolute path, not \"%1\"").arg(name);
        return {};
    } else if (sandboxed) {
        // The sandbox sees /usr only: a python3 first on PATH elsewhere (a pyenv shim, a venv in
        // $HOME) would not run in it.
        found = QStandardPaths::findExecutable(
            name, {QStringLiteral("/usr/local/bin"), QStringLiteral("/usr/bin"), QStringLiteral("/bin")});
    } else {
        found = QStandardPaths::findExecutable(name);
    }
    if (found.isEmpty()) {
        *error = CodeSandboxTr::tr("the interpreter \"%1\" was not found").arg(name);
        return {};
    }
    if (sandboxed && !isUnder(QFileInfo(found).canonicalFilePath(), QStringLiteral("/usr"))) {
        *error = CodeSandboxTr::tr("the interpreter %1 is outside /usr, where the sandbox cannot see it").arg(found);
        return {};
    }
    return found;
}

QStringList CodeSandbox::bwrapArguments(const QString &dir, const QString &interpreter, const QString &script) const
{
    QStringList args{QStringLiteral("--unshare-all"), QStringLiteral("--die-with-parent"),
                     QStringLiteral("--new-session"), QStringLiteral("--cap-drop"),
                     QStringLiteral("ALL"),           QStringLiteral("--ro-bind"),
                     QStringLiteral("/usr"),          QStringLiteral("/usr")};
    // Merged /usr (Debian 12): /bin, /lib… are links into /usr; elsewhere they are directories.
    for (const char *top : {"/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"}) {
        const QString path = QString::fromLatin1(top);
        const QFileInfo info(path);
        if (info.isSymLink())
            args << QStringLiteral("--symlink") << info.symLinkTarget() << path;
        else if (info.isDir())
            args << QStringLiteral("--ro-bind") << path << path;
    }
    // The dynamic linker's cache and the alternatives links some interpreters are reached through;
    // nothing else of /etc.
    args << QStringLiteral("--ro-bind-try") << QStringLiteral("/etc/ld.so.cache") << QStringLiteral("/etc/ld.so.cache")
         << QStringLiteral("--ro-bind-try") << QStringLiteral("/etc/alternatives")
         << QStringLiteral("/etc/alternatives") << QStringLiteral("--proc") << QStringLiteral("/proc")
         << QStringLiteral("--dev") << QStringLiteral("/dev") << QStringLiteral("--tmpfs") << QStringLiteral("/tmp")
         << QStringLiteral("--bind") << dir << kSandboxDir << QStringLiteral("--chdir") << kSandboxDir
         << QStringLiteral("--") << interpreter << script;
    return args;
}

void CodeSandbox::finishLater(CodeTestOutcome outcome)
{
    m_done = true;
    // Queued: a caller that starts a run never hears of its end before start() returns.
    QMetaObject::invokeMethod(
        this, [this, outcome = std::move(outcome)] { Q_EMIT finished(outcome); }, Qt::QueuedConnection);
}

void CodeSandbox::start(const CodeTestRequest &request)
{
    if (m_process || m_done)
        return;
    m_clock.start();
    CodeTestOutcome outcome;
    if (request.tests.trimmed().isEmpty()) {
        outcome.reason = CodeSandboxTr::tr("a code-tests check needs tests (the assertion's value)");
        finishLater(outcome);
        return;
    }
    bool sandboxed = false;
    QString bwrap;
#ifdef Q_OS_LINUX
    bwrap = m_settings.bwrap.contains(u'/')
                ? (QFileInfo(m_settings.bwrap).isExecutable() ? m_settings.bwrap : QString())
                : QStandardPaths::findExecutable(m_settings.bwrap);
    sandboxed = !bwrap.isEmpty();
#endif
    if (!sandboxed && !m_settings.allowUnsandboxed) {
        outcome.reason =
            CodeSandboxTr::tr("code-tests need bubblewrap (Debian: apt install bubblewrap) or an explicit opt-in "
                              "to run generated code unsandboxed");
        finishLater(outcome);
        return;
    }
    QString error;
    const QString interpreter = resolveInterpreter(request.interpreter, sandboxed, &error);
    if (interpreter.isEmpty()) {
        outcome.reason = error;
        finishLater(outcome);
        return;
    }
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/slopscope-code-XXXXXX"));
    const QString ext = extensionOf(interpreter);
    const QString script = QStringLiteral("test_solution.") + ext;
    const auto write = [this](const QString &name, const QString &text) {
        QFile file(m_dir->filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.flush();
    };
    if (!m_dir->isValid() || !write(QStringLiteral("solution.") + ext, request.code) || !write(script, request.tests)) {
        outcome.reason = CodeSandboxTr::tr("could not write the code to a temporary directory");
        finishLater(outcome);
        return;
    }

    m_outcome = CodeTestOutcome{};
    m_outcome.sandboxed = sandboxed;
    m_process = new QProcess(this);
    QProcessEnvironment env;
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    env.insert(QStringLiteral("PYTHONUNBUFFERED"), QStringLiteral("1")); // output up to a kill is kept
    if (sandboxed) {
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/local/bin:/usr/bin:/bin"));
        env.insert(QStringLiteral("HOME"), kSandboxDir);
        m_process->setProgram(bwrap);
        m_process->setArguments(bwrapArguments(m_dir->path(), interpreter, script));
    } else {
        env.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
        env.insert(QStringLiteral("HOME"), m_dir->path());
        m_process->setProgram(interpreter);
        m_process->setArguments({script});
        m_process->setWorkingDirectory(m_dir->path());
    }
    m_process->setProcessEnvironment(env);
    m_process->setStandardInputFile(QProcess::nullDevice());
#ifdef Q_OS_UNIX
    // Runs in the child between fork and exec: async-signal-safe calls only. The limits pass on
    // through bwrap to the interpreter; the process group lets a timeout kill the whole tree.
    const auto memory = static_cast<rlim_t>(m_settings.memoryBytes);
    m_process->setChildProcessModifier([memory] {
        ::setpgid(0, 0);
        const rlimit as{memory, memory};
        ::setrlimit(RLIMIT_AS, &as);
        const rlimit fsize{static_cast<rlim_t>(kMaxFileBytes), static_cast<rlim_t>(kMaxFileBytes)};
        ::setrlimit(RLIMIT_FSIZE, &fsize);
        const rlimit core{0, 0};
        ::setrlimit(RLIMIT_CORE, &core);
    });
#endif
    connect(m_process, &QProcess::readyReadStandardOutput, this, &CodeSandbox::readOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &CodeSandbox::readOutput);
    connect(m_process, &QProcess::finished, this,
            [this](int code, QProcess::ExitStatus status) { onProcessFinished(code, status == QProcess::CrashExit); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart || !m_process)
            return;
        CodeTestOutcome failed;
        failed.reason = CodeSandboxTr::tr("could not start %1: %2").arg(m_process->program(), m_process->errorString());
        m_process->deleteLater();
        m_process = nullptr;
        m_timer.stop();
        finishLater(failed);
    });
    m_timer.start(m_settings.timeoutMs);
    m_process->start();
    // A failed start has already been reported (errorOccurred, inside start()) and dropped the process.
    if (m_process)
        m_pid = m_process->processId();
}

void CodeSandbox::readOutput()
{
    if (!m_process)
        return;
    // Everything is read, so a flood never blocks the child; only the first bytes are kept.
    for (const auto channel : {QProcess::StandardOutput, QProcess::StandardError}) {
        m_process->setReadChannel(channel);
        QByteArray &kept = channel == QProcess::StandardOutput ? m_outcome.stdOut : m_outcome.stdErr;
        const QByteArray chunk = m_process->readAll();
        const qint64 room = m_settings.outputCapBytes - kept.size();
        if (room > 0)
            kept.append(chunk.left(room));
    }
}

void CodeSandbox::killGroup()
{
#ifdef Q_OS_UNIX
    if (m_pid > 0)
        ::kill(static_cast<pid_t>(-m_pid), SIGKILL);
#endif
    if (m_process)
        m_process->kill();
}

void CodeSandbox::onTimeout()
{
    if (!m_process)
        return;
    m_timedOut = true;
    killGroup();
}

void CodeSandbox::cancel()
{
    if (m_done)
        return;
    m_cancelled = true;
    if (m_process) {
        killGroup();
        return;
    }
    CodeTestOutcome cancelled;
    cancelled.status = CodeTestOutcome::Status::Cancelled;
    cancelled.reason = CodeSandboxTr::tr("cancelled");
    finishLater(cancelled);
}

void CodeSandbox::onProcessFinished(int exitCode, bool crashed)
{
    if (!m_process)
        return;
    readOutput();
    m_timer.stop();
    m_process->deleteLater();
    m_process = nullptr;
    // Unsandboxed, a child the tests left running in the background would outlive them; under bwrap
    // the PID namespace ends with the tests.
    if (!m_outcome.sandboxed)
        killGroup();
    m_pid = 0;
    m_dir.reset();

    CodeTestOutcome out = m_outcome;
    out.exitCode = crashed ? -1 : exitCode;
    out.elapsedMs = m_clock.elapsed();
    const QByteArray &talk = out.stdErr.trimmed().isEmpty() ? out.stdOut : out.stdErr;
    const QStringList tail = tailLines(talk);
    const QString detail = tail.isEmpty() ? QString() : QStringLiteral(": ") + tail.last();
    const QString context = tail.size() > 1 ? u'\n' + tail.join(u'\n') : QString();
    const QString where = out.sandboxed ? QString() : CodeSandboxTr::tr(" (unsandboxed)");
    const auto score = reportedScore(out.stdOut);
    if (m_cancelled) {
        out.status = CodeTestOutcome::Status::Cancelled;
        out.reason = CodeSandboxTr::tr("cancelled");
    } else if (m_timedOut) {
        out.status = CodeTestOutcome::Status::TimedOut;
        out.reason =
            CodeSandboxTr::tr("timed out after %1 s%2").arg(seconds(m_settings.timeoutMs), where) + detail + context;
    } else if (out.sandboxed && exitCode != 0 && printable(out.stdErr).startsWith(QStringLiteral("bwrap: "))) {
        // bubblewrap's own failure (no user namespaces, say): the code never ran.
        out.status = CodeTestOutcome::Status::Error;
        out.reason = CodeSandboxTr::tr("the sandbox did not start%1").arg(detail);
    } else if (!crashed && exitCode == 0) {
        out.status = CodeTestOutcome::Status::Passed;
        out.score = score.value_or(1.0);
        out.reason =
            score ? CodeSandboxTr::tr("the tests passed and report a score of %1%2").arg(*score, 0, 'f', 2).arg(where)
                  : CodeSandboxTr::tr("the tests passed%1").arg(where); // no timing: reasons stay comparable
    } else {
        out.status = CodeTestOutcome::Status::Failed;
        out.score = score.value_or(0.0);
        // bwrap reports a child killed by signal N as 128 + N.
        const QString code = crashed ? CodeSandboxTr::tr("the tests crashed")
                             : exitCode > 128 && exitCode < 160
                                 ? CodeSandboxTr::tr("the tests were killed by signal %1").arg(exitCode - 128)
                                 : CodeSandboxTr::tr("the tests failed (exit code %1)").arg(exitCode);
        out.reason = code + where + detail + context;
    }
    out.reason = out.reason.left(kReasonChars);
    m_done = true;
    Q_EMIT finished(out);
}

} // namespace Slopscope
