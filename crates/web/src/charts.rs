//! Pictures drawn on the server as SVG with plotters: readable without JavaScript, scaled to
//! the page by their view box, each shown beside a table of the same figures and offered as
//! CSV. Labels are SVG text that plotters escapes; the browser sets them in the page's font.

use plotters::coord::Shift;
use plotters::prelude::*;

/// Drawing width in SVG units; the page scales the picture to its column.
const WIDTH: u32 = 560;
/// Height of one bar's row.
const ROW: u32 = 40;
/// The bars' colour: the page's accent.
const ACCENT: RGBColor = RGBColor(0x2b, 0x59, 0xc3);
/// Colours of a line chart's series, told apart by shape of their markers too.
const SERIES: [RGBColor; 6] = [
    RGBColor(0x2b, 0x59, 0xc3),
    RGBColor(0xc0, 0x39, 0x2b),
    RGBColor(0x1e, 0x84, 0x49),
    RGBColor(0x8e, 0x44, 0xad),
    RGBColor(0xd3, 0x54, 0x00),
    RGBColor(0x34, 0x49, 0x5e),
];

/// Text safe inside a double-quoted attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The drawing made scalable and named: its fixed size dropped for the view box, a role and
/// the description a screen reader reads (the table beside it holds the figures).
fn finish(svg: String, (w, h): (u32, u32), description: &str) -> String {
    svg.replacen(
        &format!(r#"<svg width="{w}" height="{h}" "#),
        &format!(
            r#"<svg class="chart" role="img" aria-label="{}" preserveAspectRatio="xMinYMin meet" "#,
            attribute(description)
        ),
        1,
    )
}

/// What painting a picture gives back.
type Drawn = Result<(), DrawingAreaErrorKind<std::io::Error>>;

fn draw(
    size: (u32, u32),
    description: &str,
    paint: impl for<'s> FnOnce(&DrawingArea<SVGBackend<'s>, Shift>) -> Drawn,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        // Drawing into a string cannot fail but for a bug; an empty picture is then shown,
        // and the table beside it still holds every figure.
        if let Err(e) = root.fill(&WHITE).map_err(|e| e.to_string()) {
            tracing::warn!(error = %e, "drawing a chart failed");
        }
        if let Err(e) = paint(&root).map_err(|e| e.to_string()) {
            tracing::warn!(error = %e, "drawing a chart failed");
        }
        let _ = root.present();
    }
    finish(svg, size, description)
}

/// A horizontal bar per labelled value, top to bottom in the order given, on a scale from 0
/// that `axis` names.
pub fn bars(description: &str, axis: &str, rows: &[(String, f64)]) -> String {
    let n = rows.len().max(1) as u32;
    let size = (WIDTH, 60 + ROW * n);
    let top = rows.iter().map(|r| r.1).fold(0.0, f64::max);
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let longest = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(4);
    let label_width = (longest.min(28) as u32 * 9 + 14).clamp(60, 260);
    draw(size, description, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(label_width)
            // A segmented range holds one segment past its end: `0..n - 1` gives the n rows.
            .build_cartesian_2d(0f64..top, (0..n as i32 - 1).into_segmented())?;
        let label = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => {
                let at = (n as i32 - 1 - i) as usize;
                rows.get(at).map_or(String::new(), |r| short(&r.0, 28))
            }
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(6)
            .max_light_lines(1)
            .y_labels(n as usize)
            .y_label_formatter(&label)
            .x_label_formatter(&|v| figure(*v))
            .x_desc(axis)
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 15))
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, (_, v))| {
            let y = n as i32 - 1 - i as i32;
            Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(y)),
                    (*v, SegmentValue::Exact(y + 1)),
                ],
                ACCENT.mix(0.85).filled(),
            )
        }))?;
        Ok(())
    })
}

/// One line per named series over the days `days` (gaps where a value is not shown), on a
/// scale from 0 that `axis` names.
pub fn lines(
    description: &str,
    axis: &str,
    days: &[String],
    series: &[(String, Vec<Option<f64>>)],
) -> String {
    let size = (WIDTH, 320);
    let top = series
        .iter()
        .flat_map(|s| s.1.iter().flatten())
        .fold(0.0, |a: f64, b| a.max(*b));
    let top = if top > 0.0 { top * 1.15 } else { 1.0 };
    let last = days.len().saturating_sub(1).max(1) as i32;
    draw(size, description, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0..last, 0f64..top)?;
        let day = |i: &i32| days.get(*i as usize).cloned().unwrap_or_default();
        chart
            .configure_mesh()
            .x_labels(4)
            .max_light_lines(1)
            .x_label_formatter(&day)
            .y_label_formatter(&|v| figure(*v))
            .y_desc(axis)
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 15))
            .draw()?;
        for (k, (name, values)) in series.iter().enumerate() {
            let colour = SERIES[k % SERIES.len()];
            let points: Vec<(i32, f64)> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as i32, v)))
                .collect();
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?
                .label(short(name, 24))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
                });
            chart.draw_series(
                points
                    .into_iter()
                    .map(move |p| Circle::new(p, 3, colour.filled())),
            )?;
        }
        if !series.is_empty() {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.2))
                .label_font(("sans-serif", 15))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()?;
        }
        Ok(())
    })
}

/// A cell of a heat map: the value it is shaded by, and the text it shows.
pub type HeatCell = Option<(f64, String)>;

/// A grid of cells, one row per label in `rows` and one column per label in `columns`, each
/// cell shaded by its value against the largest and showing its text; `None` is an empty cell.
pub fn heat(description: &str, columns: &[String], rows: &[(String, Vec<HeatCell>)]) -> String {
    let n = rows.len().max(1) as u32;
    let size = (WIDTH, 36 + ROW * n);
    let top = rows
        .iter()
        .flat_map(|r| r.1.iter().flatten())
        .fold(0.0, |a: f64, (v, _)| a.max(*v));
    let longest = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(4);
    let label_width = (longest.min(22) as u32 * 8 + 12).clamp(60, 200);
    draw(size, description, |root| {
        let (labels, grid) = root.split_horizontally(label_width);
        let (head, body) = grid.split_vertically(30);
        let width = body.dim_in_pixel().0 as i32;
        let cols = columns.len().max(1) as i32;
        let cell_w = width / cols;
        for (k, name) in columns.iter().enumerate() {
            head.draw(&Text::new(
                short(name, 20),
                (k as i32 * cell_w + 4, 8),
                ("sans-serif", 13),
            ))?;
        }
        for (i, (label, cells)) in rows.iter().enumerate() {
            let y = i as i32 * ROW as i32;
            labels.draw(&Text::new(
                short(label, 22),
                (4, 30 + y + ROW as i32 / 2 - 7),
                ("sans-serif", 14),
            ))?;
            for (k, cell) in cells.iter().enumerate() {
                let x = k as i32 * cell_w;
                let corners = [(x + 1, y + 1), (x + cell_w - 1, y + ROW as i32 - 1)];
                match cell {
                    Some((value, text)) => {
                        let share = if top > 0.0 { value / top } else { 0.0 };
                        body.draw(&Rectangle::new(
                            corners,
                            ACCENT.mix(0.15 + 0.75 * share).filled(),
                        ))?;
                        let ink = if share > 0.55 { WHITE } else { BLACK };
                        body.draw(&Text::new(
                            text.clone(),
                            (x + 6, y + ROW as i32 / 2 - 7),
                            ("sans-serif", 14).into_font().color(&ink),
                        ))?;
                    }
                    None => {
                        body.draw(&Rectangle::new(corners, BLACK.mix(0.04).filled()))?;
                    }
                }
            }
        }
        Ok(())
    })
}

/// Ranges per column (low, middle, high), each a bar from low to high with a mark at the
/// middle, against horizontal reference lines (a name and a value each).
pub fn ranges(
    description: &str,
    axis: &str,
    columns: &[String],
    values: &[Option<(f64, f64, f64)>],
    references: &[(String, f64)],
) -> String {
    let size = (WIDTH, 320);
    let top = values
        .iter()
        .flatten()
        .map(|v| v.2)
        .chain(references.iter().map(|r| r.1))
        .fold(0.0, f64::max);
    // Headroom above the highest value for the legend.
    let top = if top > 0.0 { top * 1.45 } else { 1.0 };
    let n = columns.len().max(1) as i32;
    draw(size, description, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0f64..top)?;
        let column = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => columns
                .get(*i as usize)
                .map_or(String::new(), |c| short(c, 20)),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(1)
            .x_labels(columns.len())
            .x_label_formatter(&column)
            .y_label_formatter(&|v| figure(*v))
            .y_desc(axis)
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 14))
            .draw()?;
        for (k, (name, value)) in references.iter().enumerate() {
            let colour = SERIES[(k + 1) % SERIES.len()];
            chart
                .draw_series(LineSeries::new(
                    [
                        (SegmentValue::Exact(0), *value),
                        (SegmentValue::Last, *value),
                    ],
                    colour.stroke_width(1),
                ))?
                .label(name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour));
        }
        for (i, v) in values.iter().enumerate() {
            let Some((low, middle, high)) = v else {
                continue;
            };
            let i = i as i32;
            chart.draw_series(std::iter::once(Rectangle::new(
                [
                    (SegmentValue::Exact(i), *low),
                    (SegmentValue::Exact(i + 1), *high),
                ],
                ACCENT.mix(0.35).filled(),
            )))?;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![
                    (SegmentValue::Exact(i), *middle),
                    (SegmentValue::Exact(i + 1), *middle),
                ],
                ACCENT.stroke_width(3),
            )))?;
        }
        if !references.is_empty() {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.2))
                .label_font(("sans-serif", 13))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()?;
        }
        Ok(())
    })
}

/// A figure on an axis without a needless ".0": 5 → "5", 2.5 → "2.5".
fn figure(v: f64) -> String {
    let text = format!("{v:.1}");
    text.strip_suffix(".0").unwrap_or(&text).to_string()
}

/// A label cut to `most` characters with an ellipsis.
fn short(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(most - 1).collect();
    cut.push('…');
    cut
}

/// Rows as CSV text, the header first.
pub fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = out.write_record(header);
    for row in rows {
        let _ = out.write_record(&row);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_a_scalable_named_picture_with_escaped_labels() {
        let svg = bars(
            "Gaps \"to close\"",
            "worth",
            &[("SQL".into(), 40.0), ("<script>".into(), 4.0)],
        );
        assert!(
            svg.starts_with(
                r#"<svg class="chart" role="img" aria-label="Gaps &quot;to close&quot;""#
            ),
            "{svg}"
        );
        assert!(svg.contains("viewBox=\"0 0 560 140\""));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert_eq!(
            svg.matches("<rect").count(),
            3,
            "the background and two bars"
        );
    }

    #[test]
    fn lines_leave_gaps_where_values_are_not_shown() {
        let days: Vec<String> = ["2027-03-01", "2027-03-02", "2027-03-03"]
            .iter()
            .map(|d| d.to_string())
            .collect();
        let svg = lines(
            "Ratio over time",
            "open hours per free hour",
            &days,
            &[("SQL".into(), vec![Some(0.4), None, Some(0.5)])],
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("SQL\n</text>"), "{svg}");
    }

    #[test]
    fn a_heat_map_shades_the_cells_it_has_and_greys_the_rest() {
        let columns: Vec<String> = ["short", "long"].iter().map(|c| c.to_string()).collect();
        let svg = heat(
            "Rates",
            &columns,
            &[
                ("SQL".into(), vec![Some((8500.0, "€85.00".into())), None]),
                ("<b>".into(), vec![None, Some((4000.0, "€40.00".into()))]),
            ],
        );
        assert_eq!(
            svg.matches("<rect").count(),
            5,
            "the background and four cells"
        );
        assert!(svg.contains("€85.00") && svg.contains("&lt;b&gt;"));
        assert!(svg.contains("viewBox=\"0 0 560 116\""), "{svg}");
    }

    #[test]
    fn ranges_stand_against_their_reference_lines() {
        let columns: Vec<String> = ["a", "b"].iter().map(|c| c.to_string()).collect();
        let svg = ranges(
            "Rates against wages",
            "per hour",
            &columns,
            &[Some((70.0, 80.0, 95.0)), None],
            &[("US median (USD)".into(), 50.3)],
        );
        assert!(svg.contains("US median (USD)"));
        // The background, one range (none for the empty column), the legend's fill and frame.
        assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let text = csv(
            &["skill", "hours"],
            [vec!["SQL, Postgres".into(), "4.5".into()]],
        );
        assert_eq!(text, "skill,hours\n\"SQL, Postgres\",4.5\n");
    }
}
