#pragma once

#include <QObject>

// Declared apart from its definitions: moc misreads the raw JSON strings of the .cpp.
class tst_RequestToolChoice : public QObject
{
    Q_OBJECT

private slots:
    void encoded_data();
    void encoded();
    void ollamaEmulation();
    void anthropicThinkingForbidsForcing();
    void notSentWithoutTools_data();
    void notSentWithoutTools();
    void unsetSendsNothing_data();
    void unsetSendsNothing();
};
