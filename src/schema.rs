//! The JSON Schema of the input file for editors and validators (taplo, tombi,
//! check-jsonschema), derived from [`crate::model::Input`].
//!
//! TOML has no null, so the `null` alternative that schemars gives every `Option` is
//! dropped: an optional key is simply not `required`. Without it no `anyOf` is left where
//! serde has no alternatives, and a validator reports an unknown key as one clear
//! "additional properties" error instead of "not valid under any of the schemas listed in
//! the 'anyOf' keyword".
//!
//! Dates are `{"type": "string", "format": "date"}`: TOML-aware validators (tombi) take a
//! TOML local date for that and refuse a quoted string. taplo and check-jsonschema turn
//! every TOML date into its text before validating, so to them a quoted date looks the
//! same; `xroad-share check` refuses it in any case.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::model::Input;

/// The schema as pretty JSON, ending with a newline.
pub fn json_schema() -> String {
    let schema = SchemaSettings::draft2020_12()
        .with_transform(drop_null)
        .into_generator()
        .into_root_schema_for::<Input>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// Removes the `null` alternative of optional values, here and in every subschema.
fn drop_null(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                object.insert("type".into(), only);
            }
        }
        let single = match object.get("anyOf") {
            Some(Value::Array(branches)) => {
                let rest: Vec<&Value> = branches
                    .iter()
                    .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                (rest.len() == 1 && branches.len() == 2).then(|| rest[0].clone())
            }
            _ => None,
        };
        if let Some(Value::Object(branch)) = single {
            object.remove("anyOf");
            for (k, v) in branch {
                object.entry(k).or_insert(v);
            }
        }
    }
    schemars::transform::transform_subschemas(&mut drop_null, schema);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        out.push(v);
        match v {
            Value::Object(o) => o.values().for_each(|c| walk(c, out)),
            Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }

    #[test]
    fn no_null_and_no_any_of() {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        let mut all = Vec::new();
        walk(&schema, &mut all);
        for v in all {
            if let Some(o) = v.as_object() {
                assert!(!o.contains_key("anyOf"), "{v}");
                assert!(!o.contains_key("oneOf"), "{v}");
                assert_ne!(o.get("type"), Some(&Value::from("null")), "{v}");
                if let Some(Value::Array(t)) = o.get("type") {
                    assert!(!t.contains(&Value::from("null")), "{v}");
                }
            }
        }
        // An optional table is a plain reference; an optional string a plain string.
        let member = &schema["$defs"]["Member"]["properties"];
        assert_eq!(member["agreement"]["$ref"], "#/$defs/Agreement");
        assert_eq!(member["address"]["type"], "string");
        assert_eq!(schema["$defs"]["Date"]["format"], "date");
    }
}
