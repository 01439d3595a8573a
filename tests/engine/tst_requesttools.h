#pragma once

#include <QObject>

// Declared apart from its definitions: moc misreads the raw JSON strings of the .cpp.
class tst_RequestTools : public QObject
{
    Q_OBJECT

private slots:
    void toolsShape_data();
    void toolsShape();
    void callAndResult_data();
    void callAndResult();
    void callWithText();
    void errorResult_data();
    void errorResult();
    void geminiTextResult();
    void anthropicMergesResults();
    void brokenArguments_data();
    void brokenArguments();
    void emptyArguments();
    void noToolsUnchanged_data();
    void noToolsUnchanged();
    void toolsCountInEstimate();
};
