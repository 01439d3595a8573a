#include "report/ReportChart.h"

#include "report/ReportEscape.h"
#include "report/ReportText.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct ReportChartTr
{
    Q_DECLARE_TR_FUNCTIONS(ReportChart)
};

constexpr double kFontPx = 11.0;
constexpr double kTitlePx = 15.0;
constexpr double kLabelCharPx = 6.4; // average advance at kFontPx, for the SVG label placement
const char *const kFont = "DejaVu Sans";

QColor colorFor(const QString &configured, qsizetype index)
{
    static const QRegularExpression hex(QStringLiteral("^#[0-9a-fA-F]{6}$"));
    if (hex.match(configured).hasMatch())
        return QColor(configured);
    // Okabe–Ito: told apart by colour-blind readers too.
    static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                          "#CC79A7", "#56B4E9", "#000000", "#999999"};
    return QColor(QLatin1StringView(palette[index % 8]));
}

QString num(double v)
{
    return QString::number(v, 'f', 1);
}

QString costTick(int decade)
{
    const double v = std::pow(10.0, decade);
    return u'$' + QString::number(v, 'f', decade < 0 ? -decade : 0);
}

QString elide(const QString &text, qsizetype max)
{
    return text.size() <= max ? text : text.left(max - 1) + QChar(0x2026);
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2.0;
}

QRectF labelBox(const ReportChart::Point &p)
{
    const double w = static_cast<double>(p.label.size()) * kLabelCharPx;
    const double x = p.labelLeft ? p.labelAt.x() - w : p.labelAt.x();
    return QRectF(x, p.labelAt.y() - kFontPx, w, kFontPx + 2);
}

bool guiAvailable()
{
    // Text needs fonts, and fonts need a QGuiApplication (the offscreen platform is enough).
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) != nullptr;
}

} // namespace

ReportChart::Layout ReportChart::layout(const ReportData &data)
{
    Layout l;
    l.plot = QRectF(72, 56, l.size.width() - 72 - 28, l.size.height() - 56 - 92);
    l.title = ReportChartTr::tr("Price and quality");
    l.xTitle = ReportChartTr::tr("Cost per 1,000 cases (USD, log scale)");
    l.yTitle = ReportChartTr::tr("Quality");
    l.quadrantTopLeft = ReportChartTr::tr("cheaper and better");
    l.quadrantTopRight = ReportChartTr::tr("pricier and better");
    l.quadrantBottomLeft = ReportChartTr::tr("cheaper and worse");
    l.quadrantBottomRight = ReportChartTr::tr("pricier and worse");

    QStringList missing;
    QList<Point> points;
    for (qsizetype i = 0; i < data.targets.size(); ++i) {
        const ReportTarget &t = data.targets.at(i);
        if (!t.summary.quality || !t.summary.costPer1000Cases || *t.summary.costPer1000Cases < 0) {
            missing.append(t.label);
            continue;
        }
        Point p;
        p.targetId = t.id;
        p.label = elide(ReportEscape::visibleControls(t.label), 32);
        p.color = colorFor(t.color, i);
        p.cost = *t.summary.costPer1000Cases;
        p.quality = std::clamp(*t.summary.quality, 0.0, 1.0);
        p.pareto = data.onPareto(t.id);
        if (t.summary.qualityLow && t.summary.qualityHigh) {
            p.yLow = std::clamp(*t.summary.qualityLow, 0.0, 1.0);
            p.yHigh = std::clamp(*t.summary.qualityHigh, 0.0, 1.0);
        }
        points.append(p);
    }

    // Whole decades around the positive costs.
    double minCost = 0;
    double maxCost = 0;
    for (const Point &p : std::as_const(points)) {
        if (p.cost > 0) {
            minCost = minCost > 0 ? std::min(minCost, p.cost) : p.cost;
            maxCost = std::max(maxCost, p.cost);
        }
    }
    int lo = -1;
    int hi = 1;
    if (maxCost > 0) {
        lo = static_cast<int>(std::floor(std::log10(minCost)));
        hi = static_cast<int>(std::ceil(std::log10(maxCost)));
        if (hi <= lo)
            hi = lo + 1;
    }
    const double left = l.plot.left() + 18; // room for free targets on the edge
    const double right = l.plot.right() - 12;
    const auto xOf = [&](double cost) {
        if (cost <= 0)
            return l.plot.left() + 6;
        return left + (std::log10(cost) - lo) / (hi - lo) * (right - left);
    };
    const auto yOf = [&](double q) { return l.plot.bottom() - q * l.plot.height(); };
    const int step = (hi - lo) > 8 ? 2 : 1;
    for (int k = lo; k <= hi; k += step)
        l.xTicks.append({xOf(std::pow(10.0, k)), costTick(k)});
    for (int q = 0; q <= 100; q += 25)
        l.yTicks.append({yOf(q / 100.0), QStringLiteral("%1%").arg(q)});

    QList<double> xs;
    QList<double> ys;
    for (Point &p : points) {
        p.at = QPointF(xOf(p.cost), yOf(p.quality));
        if (p.yLow)
            p.yLow = yOf(*p.yLow);
        if (p.yHigh)
            p.yHigh = yOf(*p.yHigh);
        xs.append(p.at.x());
        ys.append(p.at.y());
    }
    if (points.size() >= 2) {
        l.medianX = median(xs);
        l.medianY = median(ys);
    }

    // Labels right of their point, left when they would leave the plot, pushed down past earlier ones.
    QList<qsizetype> order(points.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) {
        return points.at(a).at.y() < points.at(b).at.y() ||
               (points.at(a).at.y() == points.at(b).at.y() && points.at(a).at.x() < points.at(b).at.x());
    });
    QList<QRectF> placed;
    for (qsizetype i : std::as_const(order)) {
        Point &p = points[i];
        const double width = static_cast<double>(p.label.size()) * kLabelCharPx;
        p.labelLeft = p.at.x() + 9 + width > l.size.width() - 4;
        p.labelAt = p.labelLeft ? QPointF(p.at.x() - 9, p.at.y() + 4) : QPointF(p.at.x() + 9, p.at.y() + 4);
        for (int tries = 0; tries < 12; ++tries) {
            const QRectF box = labelBox(p);
            if (std::none_of(placed.cbegin(), placed.cend(), [&](const QRectF &r) { return r.intersects(box); }))
                break;
            p.labelAt.ry() += kFontPx + 2;
        }
        placed.append(labelBox(p));
    }
    l.points = points;

    QList<const Point *> frontier;
    for (const Point &p : std::as_const(l.points)) {
        if (p.pareto)
            frontier.append(&p);
    }
    std::stable_sort(frontier.begin(), frontier.end(),
                     [](const Point *a, const Point *b) { return a->cost < b->cost; });
    for (const Point *p : std::as_const(frontier))
        l.frontier.append(p->at);

    if (points.isEmpty())
        l.note = ReportChartTr::tr("No target has both a quality and a known cost yet.");
    else if (!missing.isEmpty())
        l.note = elide(ReportChartTr::tr("Not drawn (no quality or unknown cost): %1")
                           .arg(ReportEscape::visibleControls(missing.join(QStringLiteral(", ")))),
                       120);
    return l;
}

QString ReportChart::svg(const Layout &l, bool standalone)
{
    const auto esc = [](const QString &s) { return ReportEscape::html(s); };
    QString o;
    if (standalone)
        o += QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    o += QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %1 %2\" width=\"%1\" height=\"%2\" "
                        "role=\"img\" aria-label=\"%3\" font-family=\"%4, Arial, sans-serif\" font-size=\"%5\">\n")
             .arg(num(l.size.width()), num(l.size.height()), esc(l.title), QLatin1StringView(kFont), num(kFontPx));
    o += QStringLiteral("<rect x=\"0\" y=\"0\" width=\"%1\" height=\"%2\" fill=\"#ffffff\"/>\n")
             .arg(num(l.size.width()), num(l.size.height()));
    o += QStringLiteral("<text x=\"%1\" y=\"24\" font-size=\"%2\" font-weight=\"bold\">%3</text>\n")
             .arg(num(l.plot.left()), num(kTitlePx), esc(l.title));
    o += QStringLiteral("<text x=\"%1\" y=\"42\" fill=\"#555555\">%2</text>\n")
             .arg(num(l.plot.left()),
                  esc(ReportChartTr::tr("● target   ◉ on the Pareto frontier   │ 95% quality interval")));
    const QRectF &p = l.plot;
    o += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"#fafafa\" stroke=\"#888888\"/>\n")
             .arg(num(p.left()), num(p.top()), num(p.width()), num(p.height()));
    for (const Tick &t : l.xTicks) {
        o += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"#e4e4e4\"/>"
                            "<text x=\"%1\" y=\"%4\" text-anchor=\"middle\">%5</text>\n")
                 .arg(num(t.position), num(p.top()), num(p.bottom()), num(p.bottom() + 18), esc(t.text));
    }
    for (const Tick &t : l.yTicks) {
        o += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#e4e4e4\"/>"
                            "<text x=\"%4\" y=\"%5\" text-anchor=\"end\">%6</text>\n")
                 .arg(num(p.left()), num(t.position), num(p.right()), num(p.left() - 8), num(t.position + 4),
                      esc(t.text));
    }
    if (l.medianX && l.medianY) {
        o += QStringLiteral(
                 "<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"#b0b0b0\" stroke-dasharray=\"4 4\"/>\n")
                 .arg(num(*l.medianX), num(p.top()), num(p.bottom()));
        o += QStringLiteral(
                 "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#b0b0b0\" stroke-dasharray=\"4 4\"/>\n")
                 .arg(num(p.left()), num(*l.medianY), num(p.right()));
        const QString corner =
            QStringLiteral("<text x=\"%1\" y=\"%2\" fill=\"#9a9a9a\" font-style=\"italic\"%3>%4</text>\n");
        o += corner.arg(num(p.left() + 6), num(p.top() + 14), QString(), esc(l.quadrantTopLeft));
        o += corner.arg(num(p.right() - 6), num(p.top() + 14), QStringLiteral(" text-anchor=\"end\""),
                        esc(l.quadrantTopRight));
        o += corner.arg(num(p.left() + 6), num(p.bottom() - 6), QString(), esc(l.quadrantBottomLeft));
        o += corner.arg(num(p.right() - 6), num(p.bottom() - 6), QStringLiteral(" text-anchor=\"end\""),
                        esc(l.quadrantBottomRight));
    }
    if (l.frontier.size() >= 2) {
        QStringList pts;
        for (const QPointF &f : l.frontier)
            pts.append(num(f.x()) + u',' + num(f.y()));
        o += QStringLiteral("<polyline points=\"%1\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.5\" "
                            "stroke-dasharray=\"6 3\"/>\n")
                 .arg(pts.join(u' '));
    }
    for (const Point &pt : l.points) {
        const QString color = pt.color.name();
        if (pt.yLow && pt.yHigh) {
            o += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"%4\" stroke-width=\"2\" "
                                "stroke-opacity=\"0.5\"/>\n")
                     .arg(num(pt.at.x()), num(*pt.yLow), num(*pt.yHigh), color);
        }
        const QString tooltip =
            QStringLiteral("%1: %2, %3").arg(pt.label, ReportText::percent(pt.quality), ReportText::usd(pt.cost));
        o += QStringLiteral("<circle cx=\"%1\" cy=\"%2\" r=\"%3\" fill=\"%4\" stroke=\"%5\" stroke-width=\"%6\">"
                            "<title>%7</title></circle>\n")
                 .arg(num(pt.at.x()), num(pt.at.y()), pt.pareto ? QStringLiteral("6.5") : QStringLiteral("5"), color,
                      pt.pareto ? QStringLiteral("#000000") : QStringLiteral("#ffffff"),
                      pt.pareto ? QStringLiteral("2.5") : QStringLiteral("1"), esc(tooltip));
        o += QStringLiteral("<text x=\"%1\" y=\"%2\"%3%4>%5</text>\n")
                 .arg(num(pt.labelAt.x()), num(pt.labelAt.y()),
                      pt.labelLeft ? QStringLiteral(" text-anchor=\"end\"") : QString(),
                      pt.pareto ? QStringLiteral(" font-weight=\"bold\"") : QString(), esc(pt.label));
    }
    o += QStringLiteral("<text x=\"%1\" y=\"%2\" text-anchor=\"middle\">%3</text>\n")
             .arg(num(p.center().x()), num(p.bottom() + 40), esc(l.xTitle));
    o += QStringLiteral("<text x=\"18\" y=\"%1\" text-anchor=\"middle\" transform=\"rotate(-90 18 %1)\">%2</text>\n")
             .arg(num(p.center().y()), esc(l.yTitle));
    if (!l.note.isEmpty()) {
        o += QStringLiteral("<text x=\"%1\" y=\"%2\" fill=\"#555555\">%3</text>\n")
                 .arg(num(p.left()), num(p.bottom() + 66), esc(l.note));
    }
    o += QStringLiteral("</svg>\n");
    return o;
}

void ReportChart::paint(QPainter &painter, const Layout &l, const QRectF &target)
{
    const double scale = std::min(target.width() / l.size.width(), target.height() / l.size.height());
    painter.save();
    painter.translate(target.left() + (target.width() - l.size.width() * scale) / 2,
                      target.top() + (target.height() - l.size.height() * scale) / 2);
    painter.scale(scale, scale);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);

    QFont font{QLatin1StringView(kFont)};
    font.setPixelSize(static_cast<int>(kFontPx));
    painter.setFont(font);
    const auto text = [&painter](const QPointF &at, const QString &s, Qt::Alignment align = Qt::AlignLeft) {
        const double w = QFontMetricsF(painter.font(), painter.device()).horizontalAdvance(s);
        double x = at.x();
        if (align & Qt::AlignRight)
            x -= w;
        else if (align & Qt::AlignHCenter)
            x -= w / 2;
        painter.drawText(QPointF(x, at.y()), s);
    };
    const QRectF &p = l.plot;

    painter.fillRect(QRectF(QPointF(0, 0), l.size), Qt::white);
    QFont titleFont = font;
    titleFont.setPixelSize(static_cast<int>(kTitlePx));
    titleFont.setBold(true);
    painter.setFont(titleFont);
    painter.setPen(Qt::black);
    text(QPointF(p.left(), 24), l.title);
    painter.setFont(font);
    painter.setPen(QColor(0x55, 0x55, 0x55));
    text(QPointF(p.left(), 42), ReportChartTr::tr("● target   ◉ on the Pareto frontier   │ 95% quality interval"));

    painter.setPen(QColor(0x88, 0x88, 0x88));
    painter.setBrush(QColor(0xfa, 0xfa, 0xfa));
    painter.drawRect(p);
    for (const Tick &t : l.xTicks) {
        painter.setPen(QColor(0xe4, 0xe4, 0xe4));
        painter.drawLine(QPointF(t.position, p.top()), QPointF(t.position, p.bottom()));
        painter.setPen(Qt::black);
        text(QPointF(t.position, p.bottom() + 18), t.text, Qt::AlignHCenter);
    }
    for (const Tick &t : l.yTicks) {
        painter.setPen(QColor(0xe4, 0xe4, 0xe4));
        painter.drawLine(QPointF(p.left(), t.position), QPointF(p.right(), t.position));
        painter.setPen(Qt::black);
        text(QPointF(p.left() - 8, t.position + 4), t.text, Qt::AlignRight);
    }
    if (l.medianX && l.medianY) {
        painter.setPen(QPen(QColor(0xb0, 0xb0, 0xb0), 1, Qt::DashLine));
        painter.drawLine(QPointF(*l.medianX, p.top()), QPointF(*l.medianX, p.bottom()));
        painter.drawLine(QPointF(p.left(), *l.medianY), QPointF(p.right(), *l.medianY));
        QFont italic = font;
        italic.setItalic(true);
        painter.setFont(italic);
        painter.setPen(QColor(0x9a, 0x9a, 0x9a));
        text(QPointF(p.left() + 6, p.top() + 14), l.quadrantTopLeft);
        text(QPointF(p.right() - 6, p.top() + 14), l.quadrantTopRight, Qt::AlignRight);
        text(QPointF(p.left() + 6, p.bottom() - 6), l.quadrantBottomLeft);
        text(QPointF(p.right() - 6, p.bottom() - 6), l.quadrantBottomRight, Qt::AlignRight);
        painter.setFont(font);
    }
    if (l.frontier.size() >= 2) {
        painter.setPen(QPen(QColor(0x33, 0x33, 0x33), 1.5, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        painter.drawPolyline(l.frontier.constData(), static_cast<int>(l.frontier.size()));
    }
    for (const Point &pt : l.points) {
        if (pt.yLow && pt.yHigh) {
            QColor faded = pt.color;
            faded.setAlphaF(0.5f);
            painter.setPen(QPen(faded, 2));
            painter.drawLine(QPointF(pt.at.x(), *pt.yLow), QPointF(pt.at.x(), *pt.yHigh));
        }
        painter.setPen(pt.pareto ? QPen(Qt::black, 2.5) : QPen(Qt::white, 1));
        painter.setBrush(pt.color);
        const double r = pt.pareto ? 6.5 : 5;
        painter.drawEllipse(pt.at, r, r);
        QFont labelFont = font;
        labelFont.setBold(pt.pareto);
        painter.setFont(labelFont);
        painter.setPen(Qt::black);
        text(pt.labelAt, pt.label, pt.labelLeft ? Qt::AlignRight : Qt::AlignLeft);
        painter.setFont(font);
    }
    painter.setPen(Qt::black);
    text(QPointF(p.center().x(), p.bottom() + 40), l.xTitle, Qt::AlignHCenter);
    painter.save();
    painter.translate(18, p.center().y());
    painter.rotate(-90);
    text(QPointF(0, 0), l.yTitle, Qt::AlignHCenter);
    painter.restore();
    if (!l.note.isEmpty()) {
        painter.setPen(QColor(0x55, 0x55, 0x55));
        text(QPointF(p.left(), p.bottom() + 66), l.note);
    }
    painter.restore();
}

Result<QByteArray> ReportChart::png(const Layout &l, qreal devicePixelRatio)
{
    if (!guiAvailable())
        return Error{ReportChartTr::tr("Drawing a chart needs the graphical application (a QGuiApplication).")};
    QImage image((l.size * devicePixelRatio).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    // The PNG's pHYs says 2 × 96 dpi, so viewers that honour it show the chart at its logical size.
    const int dotsPerMeter = qRound(devicePixelRatio * 96.0 / 0.0254);
    image.setDotsPerMeterX(dotsPerMeter);
    image.setDotsPerMeterY(dotsPerMeter);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        paint(painter, l, QRectF(QPointF(0, 0), l.size));
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return Error{ReportChartTr::tr("The chart could not be encoded as PNG.")};
    return bytes;
}

Result<QByteArray> ReportChart::pdf(const Layout &l)
{
    if (!guiAvailable())
        return Error{ReportChartTr::tr("Drawing a chart needs the graphical application (a QGuiApplication).")};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setPageSize(QPageSize(l.size, QPageSize::Point, QString(), QPageSize::ExactMatch));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setTitle(l.title);
        writer.setCreator(QStringLiteral("Slopscope"));
        QPainter painter;
        if (!painter.begin(&writer))
            return Error{ReportChartTr::tr("The PDF writer could not start.")};
        paint(painter, l, QRectF(0, 0, writer.width(), writer.height()));
        painter.end();
    }
    return bytes;
}

} // namespace Slopscope
