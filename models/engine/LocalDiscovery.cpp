#include "engine/LocalDiscovery.h"

#include "engine/ProviderPresets.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace Slopscope {

namespace {

void collectNames(const nlohmann::json &list, const char *field, QStringList &out)
{
    if (!list.is_array())
        return;
    for (const auto &entry : list) {
        if (!entry.is_object())
            continue;
        const auto it = entry.find(field);
        if (it != entry.end() && it->is_string())
            out.append(QString::fromStdString(it->get<std::string>()));
    }
}

} // namespace

LocalDiscovery::LocalDiscovery(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    // Probes go to this machine only: never through a proxy the environment may name.
    m_nam->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    for (const auto &preset : ProviderPresets::local())
        m_probes.append(Probe{preset, preset.defaultPort});
}

Result<QStringList> LocalDiscovery::parseModels(const QByteArray &body)
{
    const nlohmann::json doc = nlohmann::json::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return Error{tr("not a JSON object")};
    QStringList names;
    if (const auto data = doc.find("data"); data != doc.end())
        collectNames(*data, "id", names); // OpenAI-style /v1/models
    if (names.isEmpty()) {
        if (const auto models = doc.find("models"); models != doc.end()) {
            collectNames(*models, "name", names); // Ollama /api/tags
            if (names.isEmpty())
                collectNames(*models, "model", names);
        }
    }
    if (!doc.contains("data") && !doc.contains("models"))
        return Error{tr("no model list in the answer")};
    return names;
}

void LocalDiscovery::start()
{
    if (m_pending > 0)
        return;
    m_results = QList<std::optional<DiscoveredServer>>(m_probes.size());
    m_pending = static_cast<int>(m_probes.size());
    if (m_pending == 0) {
        QTimer::singleShot(0, this, [this] { emit finished({}); });
        return;
    }
    for (qsizetype i = 0; i < m_probes.size(); ++i) {
        const Probe &probe = m_probes[i];
        const QString basePath = QUrl(probe.preset.baseUrl).path();
        QUrl url;
        url.setScheme(QStringLiteral("http"));
        url.setHost(m_host);
        url.setPort(probe.port);
        url.setPath(probe.preset.discoveryPath);
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setTransferTimeout(m_timeoutMs);
        QNetworkReply *reply = m_nam->get(request);
        // Covers connect as well as transfer: a blackholed port must not hold up the dialog.
        auto *deadline = new QTimer(reply);
        deadline->setSingleShot(true);
        connect(deadline, &QTimer::timeout, reply, &QNetworkReply::abort);
        deadline->start(m_timeoutMs);
        connect(reply, &QNetworkReply::finished, this, [this, reply, i, basePath] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (reply->error() == QNetworkReply::NoError && status == 200) {
                const auto models = parseModels(reply->readAll());
                if (models) {
                    const Probe &p = m_probes[i];
                    DiscoveredServer s;
                    s.presetId = p.preset.id;
                    s.displayName = p.preset.displayName;
                    s.dialect = p.preset.dialect;
                    s.baseUrl = u"http://localhost:" + QString::number(p.port) + basePath;
                    s.models = models.value();
                    m_results[i] = s;
                }
            }
            if (--m_pending == 0) {
                QList<DiscoveredServer> found;
                for (const auto &r : std::as_const(m_results)) {
                    if (r)
                        found.append(*r);
                }
                emit finished(found);
            }
        });
    }
}

} // namespace Slopscope
