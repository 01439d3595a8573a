#include "sim/SimLog.h"

#include <QCoreApplication>

namespace Slopscope {

Status SimLog::open(const QString &path)
{
    close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
        return Error{
            QCoreApplication::translate("SimLog", "%1: cannot write the log: %2").arg(path, m_file.errorString())};
    return {};
}

void SimLog::close()
{
    if (m_file.isOpen())
        m_file.close();
}

void SimLog::write(const SimRecord &record)
{
    if (!m_file.isOpen())
        return;
    m_file.write(record.toJson(false) + '\n');
    m_file.flush();
}

} // namespace Slopscope
