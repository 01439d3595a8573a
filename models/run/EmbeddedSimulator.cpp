#include "run/EmbeddedSimulator.h"

#include "sim/SimServer.h"

#include <QCoreApplication>
#include <QThread>

namespace Slopscope {

EmbeddedSimulator::EmbeddedSimulator() = default;

EmbeddedSimulator::~EmbeddedSimulator()
{
    if (!m_thread)
        return;
    if (m_server) {
        SimServer *server = m_server;
        QMetaObject::invokeMethod(
            server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    }
    m_thread->quit();
    m_thread->wait();
    delete m_context; // its thread has finished, so it may be deleted from here
}

Result<QString> EmbeddedSimulator::start()
{
    if (!m_baseUrl.isEmpty())
        return m_baseUrl;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("simulator"));
    m_context = new QObject;
    m_context->moveToThread(m_thread.get());
    m_thread->start();

    Status status;
    QString url;
    // Build and start the server on its own thread; this thread only waits for the answer.
    QMetaObject::invokeMethod(
        m_context,
        [this, &status, &url] {
            auto *server = new SimServer;
            if (Status loaded = server->loadDefaults(); !loaded.ok()) {
                status = loaded;
                delete server;
                return;
            }
            if (!server->listen()) {
                status = Error{
                    QCoreApplication::translate("EmbeddedSimulator", "The simulator cannot listen on 127.0.0.1: %1")
                        .arg(server->errorString())};
                delete server;
                return;
            }
            m_server = server;
            url = server->baseUrl().toString(QUrl::StripTrailingSlash);
        },
        Qt::BlockingQueuedConnection);
    if (!status.ok())
        return Error{status.error()};
    m_baseUrl = url;
    return m_baseUrl;
}

} // namespace Slopscope
