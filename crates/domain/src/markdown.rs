//! Markdown for discussions: rendered to HTML and then sanitised with an allow-list, so nothing a
//! member writes can run script, restyle the page or link to `javascript:`. Images become links:
//! loading them would tell another host who reads the page, and when. Mentions (`@handle`)
//! become links to the member's profile and are returned so the caller can notify them.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeSet;

/// A post body rendered for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitised HTML, safe to insert into a page as is.
    pub html: String,
    /// Lower-cased handles mentioned outside code and links, in order of first appearance.
    pub mentions: Vec<String>,
}

/// Renders `source` to safe HTML and collects its mentions.
pub fn render(source: &str) -> Rendered {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut mentions = Vec::new();
    let mut seen = BTreeSet::new();
    // Code and link text are left alone: `@x` in a code sample is not a mention.
    let mut literal_depth = 0usize;
    let mut events = Vec::new();
    // Where the image now shown as a link began, to give an image without words its address.
    let mut image_start = None;
    for event in Parser::new_ext(source, options) {
        let event = match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                image_start = Some((events.len(), dest_url.clone()));
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, url)) = image_start.take()
                    && events.len() == start + 1
                {
                    events.push(Event::Text(url));
                }
                Event::End(TagEnd::Link)
            }
            other => other,
        };
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::Link { .. }) => {
                literal_depth += 1;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Link) => {
                literal_depth = literal_depth.saturating_sub(1);
                events.push(event);
            }
            Event::Text(text) if literal_depth == 0 => {
                link_addresses(&text, &mut events, &mut |h| {
                    if seen.insert(h.to_string()) {
                        mentions.push(h.to_string());
                    }
                });
            }
            other => events.push(other),
        }
    }
    let mut raw = String::new();
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    Rendered {
        html: sanitize(&raw),
        mentions,
    }
}

/// Cleans HTML with an allow-list: no scripts, styles, event handlers or frames; links only to
/// http, https and mailto, opened without passing the page on.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .rm_tags(["img"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("nofollow noopener noreferrer ugc"))
        .add_allowed_classes("a", ["mention"])
        .clean(html)
        .to_string()
}

/// Links the web addresses written out in `text` (`https://example.org/x`), and the
/// `@handle` mentions between them.
fn link_addresses<'a>(text: &str, out: &mut Vec<Event<'a>>, found: &mut dyn FnMut(&str)) {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    for span in finder.spans(text) {
        let part = span.as_str();
        if span.kind().is_some() && (part.starts_with("https://") || part.starts_with("http://")) {
            let url = CowStr::from(part.to_string());
            out.push(Event::Start(Tag::Link {
                link_type: pulldown_cmark::LinkType::Autolink,
                dest_url: url.clone(),
                title: CowStr::from(""),
                id: CowStr::from(""),
            }));
            out.push(Event::Text(url));
            out.push(Event::End(TagEnd::Link));
        } else {
            link_mentions(part, out, found);
        }
    }
}

/// Splits `text` around `@handle` runs, turning each into a link.
fn link_mentions<'a>(text: &str, out: &mut Vec<Event<'a>>, found: &mut dyn FnMut(&str)) {
    let mut rest = text;
    let mut plain = String::new();
    while let Some(at) = rest.find('@') {
        let before = &rest[..at];
        let after = &rest[at + 1..];
        let len = after
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .map(|(i, c)| i + c.len_utf8())
            .last()
            .unwrap_or(0);
        // An address such as a@b.org is not a mention: the @ must start a word.
        let prev = before
            .chars()
            .next_back()
            .or_else(|| plain.chars().next_back());
        let starts_word = prev.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let handle = after[..len].trim_end_matches('-').to_ascii_lowercase();
        if starts_word && crate::account::Handle::parse(&handle).is_ok() {
            plain.push_str(before);
            out.push(Event::Text(CowStr::from(std::mem::take(&mut plain))));
            out.push(Event::InlineHtml(CowStr::from(format!(
                "<a class=\"mention\" href=\"/u/{handle}\">@{handle}</a>"
            ))));
            found(&handle);
            rest = &after[handle.len()..];
        } else {
            plain.push_str(before);
            plain.push('@');
            rest = after;
        }
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Event::Text(CowStr::from(plain)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        let r = render("# Hi\n\n**bold** and [a link](https://example.org)");
        assert!(r.html.contains("<h1>Hi</h1>"), "{}", r.html);
        assert!(r.html.contains("<strong>bold</strong>"));
        assert!(r.html.contains("href=\"https://example.org\""));
        assert!(r.html.contains("rel=\"nofollow noopener noreferrer ugc\""));
    }

    #[test]
    fn script_injection_is_removed() {
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](vbscript:msgbox(1))",
            "![x](javascript:alert(1))",
            "<div onclick=\"alert(1)\">x</div>",
            "<svg onload=alert(1)></svg>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<style>body{display:none}</style>",
            "<p style=\"position:fixed\">x</p>",
            "<form action=\"https://evil.example\"><input></form>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<object data=\"x\"></object><embed src=\"x\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        ] {
            let html = render(attack).html.to_ascii_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "onload",
                "javascript:",
                "vbscript:",
                "data:",
                "<iframe",
                "<style",
                "style=",
                "<form",
                "<input",
                "<object",
                "<embed",
                "<svg",
            ] {
                assert!(!html.contains(bad), "{attack:?} kept {bad:?}: {html}");
            }
        }
    }

    #[test]
    fn images_are_links_and_never_loaded() {
        let r = render(
            "![a chart](https://tracker.example/pixel.png) ![](https://x.example/y.png) <img src=\"https://tracker.example/p.gif\">",
        );
        assert!(!r.html.contains("<img"), "{}", r.html);
        assert!(
            r.html
                .contains("href=\"https://tracker.example/pixel.png\""),
            "{}",
            r.html
        );
        assert!(r.html.contains(">a chart</a>"), "{}", r.html);
        assert!(
            r.html.contains(">https://x.example/y.png</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn mentions_are_linked_and_collected_once() {
        let r = render("Thanks @Ana_Lima and @bo-b! cc @ana_lima, mail x@example.org");
        assert_eq!(r.mentions, vec!["ana_lima", "bo-b"]);
        assert!(
            r.html
                .contains("<a class=\"mention\" href=\"/u/ana_lima\" rel=\"nofollow noopener noreferrer ugc\">@ana_lima</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("x@example.org"));
    }

    #[test]
    fn code_and_links_do_not_mention() {
        let r = render("`@inline` code\n\n```\n@block\n```\n\n[@linked](https://example.org)");
        assert!(r.mentions.is_empty(), "{:?}", r.mentions);
    }

    #[test]
    fn bare_addresses_become_links() {
        let r = render(
            "See https://example.org/brief?x=1, then ask @ana_lima. Not javascript:alert(1)",
        );
        assert!(
            r.html.contains(
                "<a href=\"https://example.org/brief?x=1\" rel=\"nofollow noopener noreferrer ugc\">https://example.org/brief?x=1</a>,"
            ),
            "{}",
            r.html
        );
        assert_eq!(r.mentions, vec!["ana_lima"]);
        assert!(!r.html.contains("href=\"javascript"), "{}", r.html);
        let linked = render("[brief](https://example.org) and <https://example.org/b>");
        assert_eq!(linked.html.matches("<a ").count(), 2, "{}", linked.html);
    }
}
