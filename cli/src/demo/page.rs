//! The hosted page as a browser reads it: its first `<form>` and URLs resolved against the
//! page's.

/// `reference` resolved against `base` (absolute URLs and absolute paths only: what the
/// sandbox's pages use).
pub(super) fn resolve(base: &str, reference: &str) -> String {
    if reference.starts_with("http://") || reference.starts_with("https://") {
        return reference.to_owned();
    }
    let origin_end = base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(base.len());
    if reference.starts_with('/') {
        format!("{}{reference}", &base[..origin_end])
    } else if reference.is_empty() {
        base.to_owned()
    } else {
        let dir_end = base
            .rfind('/')
            .filter(|&i| i >= origin_end)
            .unwrap_or(origin_end);
        format!("{}/{reference}", &base[..dir_end])
    }
}

/// The first `<form>` of a page: its action and the fields a browser would submit (hidden and
/// text inputs, ticked checkboxes; not the buttons).
#[derive(Debug, Clone)]
pub(super) struct Form {
    pub(super) action: String,
    pub(super) fields: Vec<(String, String)>,
}

impl Form {
    pub(super) fn first(html: &str) -> Option<Form> {
        let start = html.find("<form")?;
        let rest = &html[start..];
        let end = rest.find("</form>").unwrap_or(rest.len());
        let inner = &rest[..end];
        let mut tags = Tags(inner);
        let form_tag = tags.next()?;
        let action = attr(form_tag, "action").unwrap_or_default();
        let mut fields = Vec::new();
        for tag in tags {
            if !tag.starts_with("input") {
                continue;
            }
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            let kind = attr(tag, "type").unwrap_or_else(|| "text".into());
            let value = attr(tag, "value").unwrap_or_default();
            match kind.as_str() {
                "checkbox" | "radio" => {
                    if has_word(tag, "checked") {
                        fields.push((name, value));
                    }
                }
                "submit" | "button" | "image" | "reset" => {}
                _ => fields.push((name, value)),
            }
        }
        Some(Form { action, fields })
    }
}

/// The insides of `<...>` tags, in order.
struct Tags<'a>(&'a str);

impl<'a> Iterator for Tags<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let start = self.0.find('<')?;
        let rest = &self.0[start + 1..];
        let end = rest.find('>')?;
        self.0 = &rest[end + 1..];
        Some(&rest[..end])
    }
}

fn has_word(tag: &str, word: &str) -> bool {
    tag.split(|c: char| c.is_whitespace() || c == '/')
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// The value of attribute `name="…"` in a tag, HTML entities decoded.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before_ok = rest[..i].chars().last().is_some_and(|c| c.is_whitespace());
        let after = &rest[i + name.len()..];
        if before_ok {
            if let Some(value) = after.strip_prefix("=\"") {
                let end = value.find('"')?;
                return Some(unescape(&value[..end]));
            }
        }
        rest = after;
    }
    None
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_form() {
        let html = r#"<p>x</p><form method="post" action="/flex?id=1&amp;password=a"><input type="hidden" name="ORDERID" value="7"><input type="text" name="pan" id="pan" value=""><input type="checkbox" name="save" value="1"><input type="checkbox" name="keep" value="1" checked><button type="submit" name="action" value="pay">Pay</button></form><form action="/other"></form>"#;
        let form = Form::first(html).unwrap();
        assert_eq!(form.action, "/flex?id=1&password=a");
        assert_eq!(
            form.fields,
            vec![
                ("ORDERID".to_string(), "7".to_string()),
                ("pan".to_string(), String::new()),
                ("keep".to_string(), "1".to_string()),
            ]
        );
    }

    #[test]
    fn resolves_urls() {
        assert_eq!(resolve("http://a:1/x/y?z", "/p?q"), "http://a:1/p?q");
        assert_eq!(resolve("http://a:1/x/y", "https://b/c"), "https://b/c");
        assert_eq!(resolve("http://a:1/x/y", "z"), "http://a:1/x/z");
        assert_eq!(resolve("http://a:1", "/p"), "http://a:1/p");
    }
}
