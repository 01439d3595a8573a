#pragma once

#include <QObject>

// Declared apart from its definitions: moc misreads raw JSON strings.
class tst_SimTools : public QObject
{
    Q_OBJECT

private slots:
    void encodersRoundTrip_data();
    void encodersRoundTrip();
    void requestRoundTrip_data();
    void requestRoundTrip();
    void promptIgnoresToolResults();
};
