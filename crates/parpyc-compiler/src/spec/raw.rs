//! A spec document as a tree of values with the byte span of every key and value, read from
//! TOML (through the `toml` crate's spanned document) or JSON (checked by `serde_json`, then
//! walked for spans), so that later checks can point at the exact place in the file.

use crate::diag::Span;
use toml::de::{DeTable, DeValue};

#[derive(Clone, Debug)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Clone, Debug)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(#[allow(dead_code)] f64),
    Bool(bool),
    Array(Vec<Node>),
    Table(Vec<Entry>),
    /// A value of a kind specs never use (a TOML date, JSON null); the name says which.
    Other(&'static str),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub node: Node,
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
            Value::Other(k) => k,
        }
    }
}

/// A syntax error in the spec file.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

pub fn parse_toml(text: &str) -> Result<Node, SyntaxError> {
    let doc = DeTable::parse(text).map_err(|e| SyntaxError {
        span: e.span().unwrap_or(0..0),
        message: e.message().trim().to_string(),
    })?;
    let span = doc.span();
    Ok(Node {
        span,
        value: toml_table(doc.get_ref()),
    })
}

fn toml_table(t: &DeTable<'_>) -> Value {
    Value::Table(
        t.iter()
            .map(|(k, v)| Entry {
                key: k.get_ref().to_string(),
                key_span: k.span(),
                node: Node {
                    span: v.span(),
                    value: toml_value(v.get_ref()),
                },
            })
            .collect(),
    )
}

fn toml_value(v: &DeValue<'_>) -> Value {
    match v {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            let (neg, digits) = match digits.strip_prefix('-') {
                Some(d) => (true, d.to_string()),
                None => (false, digits.trim_start_matches('+').to_string()),
            };
            let digits = digits
                .trim_start_matches("0x")
                .trim_start_matches("0o")
                .trim_start_matches("0b")
                .to_string();
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(n) => Value::Int(if neg { -n } else { n }),
                Err(_) => Value::Other("an integer out of range"),
            }
        }
        DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
            Ok(x) => Value::Float(x),
            Err(_) => Value::Other("a float"),
        },
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(_) => Value::Other("a date-time"),
        DeValue::Array(a) => Value::Array(
            a.iter()
                .map(|v| Node {
                    span: v.span(),
                    value: toml_value(v.get_ref()),
                })
                .collect(),
        ),
        DeValue::Table(t) => toml_table(t),
    }
}

pub fn parse_json(text: &str) -> Result<Node, SyntaxError> {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        let offset = line_col_to_offset(text, e.line(), e.column());
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        return Err(SyntaxError {
            span: offset..offset,
            message,
        });
    }
    let mut w = JsonWalker { text, pos: 0 };
    w.value().ok_or(SyntaxError {
        span: 0..0,
        message: "could not read the JSON document".into(),
    })
}

fn line_col_to_offset(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (offset + col.saturating_sub(1)).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// Walks a JSON text already validated by serde_json, recording spans.
struct JsonWalker<'a> {
    text: &'a str,
    pos: usize,
}

impl JsonWalker<'_> {
    fn skip_ws(&mut self) {
        let b = self.text.as_bytes();
        while self.pos < b.len() && b[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_ws();
        let start = self.pos;
        let value = match self.peek()? {
            b'{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b'}' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => self.pos += 1,
                        _ => {
                            let kstart = self.pos;
                            let key = self.string()?;
                            let key_span = kstart..self.pos;
                            self.skip_ws();
                            self.pos += 1; // ':'
                            let node = self.value()?;
                            entries.push(Entry {
                                key,
                                key_span,
                                node,
                            });
                        }
                    }
                }
                Value::Table(entries)
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.peek()? {
                        b']' => {
                            self.pos += 1;
                            break;
                        }
                        b',' => self.pos += 1,
                        _ => items.push(self.value()?),
                    }
                }
                Value::Array(items)
            }
            b'"' => Value::Str(self.string()?),
            b't' => {
                self.pos += 4;
                Value::Bool(true)
            }
            b'f' => {
                self.pos += 5;
                Value::Bool(false)
            }
            b'n' => {
                self.pos += 4;
                Value::Other("null")
            }
            _ => {
                let b = self.text.as_bytes();
                while self.pos < b.len()
                    && matches!(b[self.pos], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    self.pos += 1;
                }
                let tok = &self.text[start..self.pos];
                match tok.parse::<i64>() {
                    Ok(i) => Value::Int(i),
                    Err(_) => match tok.parse::<f64>() {
                        Ok(f) => Value::Float(f),
                        Err(_) => Value::Other("a number out of range"),
                    },
                }
            }
        };
        Some(Node {
            span: start..self.pos,
            value,
        })
    }

    fn string(&mut self) -> Option<String> {
        let b = self.text.as_bytes();
        let start = self.pos;
        self.pos += 1;
        while self.pos < b.len() {
            match b[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return serde_json::from_str(&self.text[start..self.pos]).ok();
                }
                _ => self.pos += 1,
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: &Node) -> Vec<(String, Span)> {
        match &n.value {
            Value::Table(es) => es
                .iter()
                .map(|e| (e.key.clone(), e.key_span.clone()))
                .collect(),
            _ => vec![],
        }
    }

    #[test]
    fn toml_and_json_agree() {
        let t = parse_toml("[functions.mv]\nargs = { N = \"i64\" }\n").unwrap();
        let j = parse_json("{\"functions\": {\"mv\": {\"args\": {\"N\": \"i64\"}}}}").unwrap();
        assert_eq!(keys(&t)[0].0, "functions");
        assert_eq!(keys(&j)[0].0, "functions");
        assert_eq!(keys(&j)[0].1, 1..12);
    }

    #[test]
    fn json_syntax_error_has_position() {
        let e = parse_json("{\n  \"a\": ,\n}").unwrap_err();
        assert_eq!(e.span.start, 9);
    }
}
