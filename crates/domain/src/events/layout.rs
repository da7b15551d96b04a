//! How a payload's fields map onto the stored parts of an event.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// An event as stored: who acted, the ids it concerns in their fixed order, and the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Parts {
    /// The account (or `system`) that acted, if any did.
    pub actor: Option<String>,
    /// The ids the event concerns; the feed indexes them and nodes evict cached profiles by
    /// them.
    pub subjects: Vec<String>,
    /// Everything else, as a JSON object.
    pub data: Value,
    /// The accounts among the actor and subjects, in the order they are named, each once:
    /// an evidence entry's `members`. Not stored with the event itself.
    pub parties: Vec<String>,
}

/// Where each field of a payload is stored. Fields are named by their serialized names.
/// A field may be stored twice (as a subject and in `data`, say), as older entries do.
pub trait Layout: Serialize + DeserializeOwned {
    /// The field naming who acted.
    const ACTOR: Option<&'static str>;
    /// The fields naming the ids the event concerns, in stored order. A missing optional
    /// field ends the list.
    const SUBJECTS: &'static [&'static str];
    /// A list field whose ids follow the others.
    const MORE_SUBJECTS: Option<&'static str>;
    /// `data`'s keys and the fields they hold.
    const DATA: &'static [(&'static str, &'static str)];
    /// The fields naming accounts, which an evidence entry lists as its `members`: the people
    /// it is about, who may see it and erase its payload.
    const PARTIES: &'static [&'static str] = &[];
}

/// Who acts in automatic steps (a release when the review period runs out): not an account.
pub const SYSTEM: &str = "system";

impl Parts {
    /// The parts `payload` is stored as.
    pub fn of<T: Layout>(payload: &T) -> Parts {
        // Payloads are plain structs of strings, numbers, booleans and lists: they always
        // serialize to an object.
        let Ok(Value::Object(fields)) = serde_json::to_value(payload) else {
            unreachable!("event payloads serialize to objects")
        };
        let text = |v: &Value| v.as_str().map(str::to_string);
        let actor = T::ACTOR.and_then(|f| fields.get(f)).and_then(text);
        let mut subjects: Vec<String> = T::SUBJECTS
            .iter()
            .map_while(|f| fields.get(*f).and_then(text))
            .collect();
        if let Some(Value::Array(more)) = T::MORE_SUBJECTS.and_then(|f| fields.get(f)) {
            subjects.extend(more.iter().filter_map(text));
        }
        let data: Map<String, Value> = T::DATA
            .iter()
            .filter_map(|(key, field)| Some((key.to_string(), fields.get(*field)?.clone())))
            .collect();
        let accounts: Vec<&str> = T::PARTIES
            .iter()
            .filter_map(|f| fields.get(*f)?.as_str())
            .filter(|id| *id != SYSTEM)
            .collect();
        let mut parties: Vec<String> = Vec::new();
        for id in actor.iter().chain(&subjects) {
            if accounts.contains(&id.as_str()) && !parties.contains(id) {
                parties.push(id.clone());
            }
        }
        Parts {
            actor,
            subjects,
            data: Value::Object(data),
            parties,
        }
    }

    /// The payload these parts hold.
    pub fn to_payload<T: Layout>(&self) -> Result<T, serde_json::Error> {
        let mut fields = Map::new();
        if let (Some(field), Some(actor)) = (T::ACTOR, &self.actor) {
            fields.insert(field.into(), actor.clone().into());
        }
        for (field, id) in T::SUBJECTS.iter().zip(&self.subjects) {
            fields.insert(field.to_string(), id.clone().into());
        }
        if let Some(field) = T::MORE_SUBJECTS {
            let more = self.subjects.iter().skip(T::SUBJECTS.len()).cloned();
            fields.insert(field.into(), Value::Array(more.map(Value::from).collect()));
        }
        let data = match &self.data {
            Value::Object(data) => data,
            _ => return Err(serde::de::Error::custom("data is not an object")),
        };
        for (key, value) in data {
            let field = T::DATA
                .iter()
                .find(|(k, _)| k == key)
                .map_or(key.as_str(), |(_, f)| f);
            fields.insert(field.to_string(), value.clone());
        }
        serde_json::from_value(Value::Object(fields))
    }
}

/// Implements [`Layout`] from a short description: `actor: field`, `subjects: [fields]`,
/// optionally `more: field` and `data: [key]` or `data: [key => field]`. The field names are
/// checked against the struct when it compiles.
macro_rules! layout {
    ($t:ident {
        $(actor: $actor:ident,)?
        subjects: [$($s:ident),*],
        $(more: $more:ident,)?
        data: [$($key:ident $(=> $field:ident)?),*]
        $(, parties: [$($party:ident),*])? $(,)?
    }) => {
        impl $crate::events::Layout for $t {
            const ACTOR: Option<&'static str> = layout!(@opt $($actor)?);
            const SUBJECTS: &'static [&'static str] = &[$(stringify!($s)),*];
            const MORE_SUBJECTS: Option<&'static str> = layout!(@opt $($more)?);
            const DATA: &'static [(&'static str, &'static str)] =
                &[$((stringify!($key), layout!(@field $key $($field)?))),*];
            $(const PARTIES: &'static [&'static str] = &[$(stringify!($party)),*];)?
        }
        const _: () = {
            #[allow(dead_code)]
            fn fields_exist(p: &$t) {
                $(let _ = &p.$actor;)?
                $(let _ = &p.$s;)*
                $(let _ = &p.$more;)?
                $(let _ = layout!(@access p $key $($field)?);)*
                $($(let _ = &p.$party;)*)?
            }
        };
    };
    (@opt) => { None };
    (@opt $x:ident) => { Some(stringify!($x)) };
    (@field $key:ident) => { stringify!($key) };
    (@field $key:ident $field:ident) => { stringify!($field) };
    (@access $p:ident $key:ident) => { &$p.$key };
    (@access $p:ident $key:ident $field:ident) => { &$p.$field };
}
pub(crate) use layout;

/// Deserializes a field that older entries lack and newer ones may hold as `null`: absent is
/// `None`, `null` is `Some(None)`. Pair with `default` and `skip_serializing_if =
/// "Option::is_none"` so each is written back as it was read.
pub(crate) fn absent_or_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
