//! Share links: a whole design in a URL fragment, and with it what the page's console showed.
//!
//! A design's JSON text is compressed with raw DEFLATE and written in unpadded base64url, the
//! alphabet that survives a URL fragment untouched. The first character names the format
//! version:
//!
//! - Version 1 is the design alone. It primes the compressor with [`DICTIONARY`], the design
//!   format's vocabulary (keys, type and generator names, common words), so even a small
//!   design finds long matches: the user's example design fits in under 1,000 characters.
//! - Version 2 is the design exactly as version 1 writes it, then `.` and a second part: the
//!   [`Console`] (the open view, the database, form or script, the selected pattern, the size
//!   and seed of the sample data, and the script's text). The console part is compressed on
//!   its own, primed with the design's text and [`CONSOLE_DICTIONARY`] (the vocabulary of
//!   mongosh, mongoose, the AWS SDKs and the AWS CLI), so a script refers back to the names the
//!   design already spelled. Being a part of its own, a damaged console never costs the
//!   design: [`decode_link`] returns the design with the console's own error.
//!
//! A link without a console is written as version 1, which every build reads.
//!
//! The decoder primes its window the same way as the encoder, with the priming text as a
//! stored block in front of the payload, so a link does not depend on the compressor's version.
//!
//! Decoding is the hostile direction: the text comes from whoever wrote the link, so every step
//! has a bound and a clear error, and nothing here panics. In particular each part's inflated
//! size is capped at [`MAX_INFLATED_BYTES`], so a few kilobytes of fragment that would inflate
//! to a hundred megabytes stop at the cap.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::{self, TINFLStatus};
use serde::{Deserialize, Serialize};

use crate::model::Design;

/// The version character of a link holding only a design.
const VERSION_1: char = '1';
/// The version character of a link holding a design and a console.
const VERSION_2: char = '2';
/// Ends a version 2 link's design part; the console part follows.
const CONSOLE_SEPARATOR: char = '.';
/// How far back DEFLATE refers: only this tail of a priming text can be matched.
const WINDOW: usize = 32 * 1024;

/// What version 1 links are compressed against. Never change it: links already shared depend on
/// it byte for byte; a better dictionary is a new version.
pub const DICTIONARY: &str = concat!(
    " the and with that their of by for in a an to is on from per each one many few every own ",
    "User Post Comment Order Product Customer Message Device Reading Tenant Account Item Category ",
    "user post comment order product customer message device reading tenant account item ",
    "List Get Find Count Search Create Add Update Rename Delete Remove by id by email newest first ",
    r#"Id","userId","postId","authorId","orderId","productId","customerId","createdAt","updatedAt","#,
    r#""status","total","price","profile","tags","balance","title","content","text","author","#,
    r#"{"formatVersion":1,"name":"","description":"","entities":[{"name":"","id":"","fields":[{"name":""#,
    r#""type":"string","required":true,"unique":true,"example":""type":"int","required":true,"unique":true,"example":""#,
    r#""type":"long","required":true,"unique":true,"example":""type":"double","required":true,"unique":true,"example":""#,
    r#""type":"decimal","required":true,"unique":true,"example":""type":"bool","required":true,"unique":true,"example":""#,
    r#""type":"date","required":true,"unique":true,"example":""type":"objectId","required":true,"unique":true,"example":""#,
    r#""type":"uuid","required":true,"unique":true,"example":""type":"binary","required":true,"unique":true,"example":""#,
    r#""generator":"name"},"generator":"firstName"},"generator":"lastName"},"generator":"email"},"generator":"username"},"#,
    r#""generator":"city"},"generator":"country"},"generator":"phone"},"generator":"url"},"generator":"word"},"#,
    r#""generator":"tag"},"generator":"title"},"generator":"sentence"},"generator":"paragraph"},"#,
    r#""generator":"timestamp"},"generator":"age"},"generator":"price"},"generator":"quantity"},"generator":"status"},"#,
    r#""generator":"uuid"},"generator":"objectId"},"generator":"sequence"},"generator":"company"},"generator":"sku"},"#,
    r#""generator":"temperature"},"default":"now"},{"name":"createdAt","type":"date","generator":"timestamp","default":"now"}],"volume":1000}],"#,
    r#"{"array":"string"},{"object":[{"name":"{"ref":""#,
    r#""relationships":[{"from":"","to":"","cardinality":"oneToOne","cardinality":"oneToFew","cardinality":"manyToMany","#,
    r#""cardinality":"oneToMany","expectedCount":10,"readTogether":true,"field":"","embed":false}],"#,
    r#""range":"","sort":{"field":"createdAt","order":"desc"},"pageSize":20,"fields":[""],"caseInsensitive":true,"#,
    r#""update":"increment","update":"push","condition":{"field":"","op":"ge","value":0},"transactional":true,"consistency":"strong"}],"#,
    r#"{"name":"","entity":"","kind":"count","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"textSearch","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"delete","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"update","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"insert","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"list","equality":["id"],"requestsPerSecond":10},"#,
    r#"{"name":"","entity":"","kind":"getOne","equality":["id"],"requestsPerSecond":10},"#,
    r#""accessPatterns":[{"name":"Get "mongo":{"collections":{}},"dynamo":{"tableName":"app-data","partitionKey":"PK","sortKey":"SK","#,
    r#""keyTemplates":{"pk":"","sk":""},"indexes":[{"name":"","partitionKey":"","sortKey":"","local":true}],"#,
    r#""billingMode":"provisioned"},"positions":{"x":0,"y":0}}"#,
);

/// What version 2 console parts are compressed against, after the design's text: the console
/// settings' keys and the vocabulary of the console's languages as the exports, the prefill and
/// tutorials write them. Never change it: links already shared depend on it byte for byte.
pub const CONSOLE_DICTIONARY: &str = concat!(
    // The AWS CLI.
    "aws dynamodb get-item --table-name app-data --key '{\"PK\": {\"S\": \"\"}, \"SK\": {\"S\": \"\"}}' ",
    "aws dynamodb query --table-name app-data --index-name GSI1 --key-condition-expression \"PK = :pk\" ",
    "--expression-attribute-values '{\":pk\": {\"S\": \"\"}}' --expression-attribute-names --scan-index-forward ",
    "--no-scan-index-forward --projection-expression --filter-expression --limit --max-items --return-consumed-capacity TOTAL ",
    "aws dynamodb put-item --item aws dynamodb update-item --update-expression aws dynamodb delete-item aws dynamodb scan ",
    // The SDK v2 and the low-level v3 client.
    "const AWS = require('aws-sdk')\nconst docClient = new AWS.DynamoDB.DocumentClient()\n",
    "await docClient.query(params).promise()\nawait docClient.get(params).promise()\n",
    "import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb'\n",
    "{ S: '' } { N: '' } { BOOL: true } { L: [ { M: { ",
    // mongoose.
    "import mongoose from 'mongoose'\n",
    "const userSchema = new mongoose.Schema({\n",
    "{ type: String, required: true, unique: true },\n  { type: Number, default: 0 },\n  { type: Date, default: Date.now }\n",
    "{ type: mongoose.Schema.Types.ObjectId, ref: '', required: true },\n  ",
    "  age: Number,\n  city: String\n},\ntags: [String],\n",
    "userSchema.index({ \nconst User = mongoose.model('User', userSchema, 'users')\n",
    "await User.create({\nawait User.find({ await User.findOne({ await User.findById(await User.countDocuments(",
    "await User.updateOne(\n{ _id: userId },\nawait User.deleteOne({ _id: userId })\nawait User.aggregate([\n",
    ".lean() .exec() .select(",
    // mongosh.
    "db.createCollection('users', { db.users.createIndex({ email: 1 }, { unique: true })\n",
    "db.users.find({ 'profile.city': 'NYC' }).sort({ createdAt: -1 }).limit(20)\n",
    ".explain(\"executionStats\")\n.explain('executionStats')\n.toArray() .count() .skip(",
    "db.users.findOne({ _id: ObjectId(\"507f1f77bcf86cd799439011\") })\n",
    "db.users.insertOne({ db.users.insertMany([ db.users.updateOne({ db.users.updateMany(",
    "db.users.deleteOne({ db.users.deleteMany({ db.users.countDocuments({ db.users.distinct('",
    "db.posts.find({ authorId: ObjectId(\" db.posts.aggregate([\n",
    "{ $match: { { $group: { _id: '$profile.city', count: { $sum: 1 } } }\n{ $sort: { { $project: { { $limit: ",
    "{ $lookup: { from: '', localField: '_id', foreignField: '', as: '' } }",
    "{ $set: { { $inc: { { $push: { { $text: { $search: '",
    "{ $in: [ { $gte: { $lt: ISODate(\"2024-01-01T00:00:00Z\") new Date(' ",
    // The SDK v3 with lib-dynamodb, as the exports and the prefill write it.
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'\n",
    "import {\n  DynamoDBDocumentClient,\n  DeleteCommand,\n  GetCommand,\n  PutCommand,\n  QueryCommand,\n",
    "  ScanCommand,\n  TransactWriteCommand,\n  UpdateCommand\n} from '@aws-sdk/lib-dynamodb'\n",
    "const client = DynamoDBDocumentClient.from(new DynamoDBClient({}))\n",
    "const TABLE = 'app-data'\n\n",
    "await client.send(new PutCommand({\n  TableName: TABLE,\n  Item: {\n    PK: 'USER#',\n    SK: 'PROFILE',\n",
    "  ConditionExpression: 'attribute_not_exists(PK)'\n}))\n",
    "await client.send(new DeleteCommand({\n",
    "await client.send(new UpdateCommand({\n  TableName: TABLE,\n  Key: { PK: 'USER#', SK: 'PROFILE' },\n",
    "  UpdateExpression: 'SET #name = :name',\n  ExpressionAttributeNames: { '#name': 'name' },\n",
    "  ProjectionExpression: '  FilterExpression: '  ReturnValues: 'ALL_NEW'\n",
    "  ScanIndexForward: false,\n  Select: 'COUNT'\n  Limit: 20\n}))\n",
    "const result = await client.send(new GetCommand({\n  TableName: TABLE,\n  Key: { PK: 'USER#', SK: 'PROFILE' }\n}))\n",
    "const posts = await client.send(new QueryCommand({\n  TableName: TABLE,\n  IndexName: 'GSI1',\n",
    "  KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',\n",
    "  ExpressionAttributeValues: {\n    ':pk': 'USER#',\n    ':sk': 'POST#'\n  }\n}))\n",
    // The console settings, as [`Console`] writes them.
    r#"{"view":"query","database":"mongo","database":"dynamo","mode":"form","mode":"script","pattern":"","perEntity":1000,"seed":1}"#,
);

/// The largest text one part of a share link (the design, the console) may inflate to: one
/// megabyte, far above any design a person sketches and far below what would hurt a browser tab.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

/// The longest fragment [`decode`] looks at. Deflate cannot compress better than about 1:1032,
/// so a longer payload could only be a bomb or garbage.
pub const MAX_FRAGMENT_CHARS: usize = 2 * MAX_INFLATED_BYTES;

/// Why a share fragment could not be turned back into a design text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment is empty.
    Empty,
    /// The fragment does not start with a format version this build reads.
    UnknownVersion,
    /// The fragment is longer than [`MAX_FRAGMENT_CHARS`].
    TooLong { chars: usize },
    /// A character outside the base64url alphabet, at this character position.
    InvalidCharacter { position: usize, character: char },
    /// The base64url text has a length no encoder produces (cut off mid-character).
    InvalidLength,
    /// The compressed data ends before the end of its last block: the link was cut off.
    Truncated,
    /// The compressed data is not valid DEFLATE.
    Corrupt,
    /// The data would inflate past [`MAX_INFLATED_BYTES`].
    TooLarge { limit: usize },
    /// The inflated bytes are not UTF-8 text, at this byte offset.
    NotText { offset: usize },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "the share link holds no design"),
            ShareError::TooLong { chars } => write!(
                f,
                "the share link is {chars} characters long, more than the {MAX_FRAGMENT_CHARS} a design can take"
            ),
            ShareError::InvalidCharacter {
                position,
                character,
            } => write!(
                f,
                "the share link has {character:?} at position {position}, which is not a base64url character"
            ),
            ShareError::UnknownVersion => write!(
                f,
                "the share link was made by another version of schemaplay, or is not a schemaplay link"
            ),
            ShareError::InvalidLength => write!(
                f,
                "the share link has a length no encoder produces: it was probably cut off"
            ),
            ShareError::Truncated => write!(
                f,
                "the share link ends in the middle of the design: it was probably cut off"
            ),
            ShareError::Corrupt => write!(f, "the share link is damaged: its data is not a compressed design"),
            ShareError::TooLarge { limit } => write!(
                f,
                "the share link would unpack to more than {limit} bytes, more than any design needs; it was not opened"
            ),
            ShareError::NotText { offset } => write!(
                f,
                "the share link unpacks to bytes that are not text (at byte {offset})"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// What a link carries besides the design: the console as the sender saw it, so that opening
/// the link regenerates the same data, runs the same script and shows its results.
///
/// Every setting is optional: what is absent is the page's own default. The view and the
/// pattern are names the page gives them; the page says so when one names nothing it has.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Console {
    /// The view that was open, by the page's name for it (`query`, `dynamo`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<ConsoleDatabase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ConsoleMode>,
    /// The access pattern selected in the console.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Sample records per entity, when data was generated: opening the link generates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_entity: Option<u64>,
    /// The seed the data was generated with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The script's text, verbatim (it follows the settings in the link, not inside them).
    #[serde(skip)]
    pub script: String,
}

/// The database the console queries.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum ConsoleDatabase {
    #[default]
    Mongo,
    Dynamo,
}

/// How the console takes a query: a form per operation, or a script.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum ConsoleMode {
    #[default]
    Form,
    Script,
}

/// Why the console part of a version 2 link could not be read; the design opens all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleError {
    /// The console part ends early, or has a length no encoder produces: the link was cut.
    CutOff,
    /// The console part is not compressed data.
    Damaged,
    /// It would inflate past [`MAX_INFLATED_BYTES`].
    TooLarge { limit: usize },
    /// It inflates to bytes that are not UTF-8 text, at this byte offset.
    NotText { offset: usize },
    /// Its settings line is not the settings JSON: why, as serde words it.
    Settings(String),
}

impl fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the console part of the share link (its script and data settings) ")?;
        match self {
            ConsoleError::CutOff => write!(f, "was cut off"),
            ConsoleError::Damaged => write!(f, "is damaged"),
            ConsoleError::TooLarge { limit } => {
                write!(
                    f,
                    "would unpack to more than {limit} bytes; it was not opened"
                )
            }
            ConsoleError::NotText { offset } => {
                write!(f, "unpacks to bytes that are not text (at byte {offset})")
            }
            ConsoleError::Settings(why) => write!(f, "has unreadable settings: {why}"),
        }
    }
}

impl std::error::Error for ConsoleError {}

impl From<ShareError> for ConsoleError {
    fn from(error: ShareError) -> Self {
        match error {
            ShareError::TooLarge { limit } => ConsoleError::TooLarge { limit },
            ShareError::NotText { offset } => ConsoleError::NotText { offset },
            ShareError::Truncated | ShareError::InvalidLength | ShareError::Empty => {
                ConsoleError::CutOff
            }
            _ => ConsoleError::Damaged,
        }
    }
}

/// A decoded link: the design's JSON text (not parsed here: the caller parses it as a design
/// and reports its own findings), and the console of a version 2 link, or why it could not be
/// read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub design: String,
    pub console: Option<Result<Console, ConsoleError>>,
}

/// Compresses a design's JSON text into a version 1 fragment (without the leading `#`).
pub fn encode(design_json: &str) -> String {
    format!(
        "{VERSION_1}{}",
        URL_SAFE_NO_PAD.encode(deflate_primed(
            DICTIONARY.as_bytes(),
            design_json.as_bytes()
        ))
    )
}

/// Compresses a design's JSON text and a console into a version 2 fragment.
pub fn encode_with_console(design_json: &str, console: &Console) -> String {
    let design = deflate_primed(DICTIONARY.as_bytes(), design_json.as_bytes());
    let settings = serde_json::to_string(console).unwrap_or_else(|_| "{}".to_string());
    // The settings are one line (JSON escapes every newline), the script the rest.
    let text = format!("{settings}\n{}", console.script);
    let part = deflate_primed(&console_priming(design_json), text.as_bytes());
    format!(
        "{VERSION_2}{}{CONSOLE_SEPARATOR}{}",
        URL_SAFE_NO_PAD.encode(design),
        URL_SAFE_NO_PAD.encode(part)
    )
}

/// The share fragment of a design: its JSON without the keys that only repeat a default (the
/// design reads back equal without them), compressed by [`encode`].
pub fn encode_design(design: &Design) -> String {
    encode(&lean_json(design))
}

/// The share fragment of a design with the page's console, by [`encode_with_console`].
pub fn encode_design_with_console(design: &Design, console: &Console) -> String {
    encode_with_console(&lean_json(design), console)
}

/// A design's JSON without the keys that repeat a default, if it reads back equal.
fn lean_json(design: &Design) -> String {
    let full = serde_json::to_value(design).unwrap_or_default();
    let mut lean = full.clone();
    prune_defaults(&mut lean);
    let lean_text = lean.to_string();
    match Design::from_json_unchecked(&lean_text) {
        Ok(back) if back == *design => lean_text,
        _ => full.to_string(),
    }
}

/// Drops keys whose value is what reading an absent key gives anyway.
fn prune_defaults(value: &mut serde_json::Value) {
    let defaults = serde_json::to_value(Design::default()).unwrap_or_default();
    let Some(map) = value.as_object_mut() else {
        return;
    };
    if map.get("mongo") == defaults.get("mongo") {
        map.remove("mongo");
    }
    if let Some(dynamo) = map.get_mut("dynamo").and_then(|d| d.as_object_mut()) {
        if dynamo.get("billingMode") == defaults.pointer("/dynamo/billingMode") {
            dynamo.remove("billingMode");
        }
    }
    if let Some(patterns) = map.get_mut("accessPatterns").and_then(|p| p.as_array_mut()) {
        for pattern in patterns.iter_mut().filter_map(|p| p.as_object_mut()) {
            if pattern.get("consistency").and_then(|c| c.as_str()) == Some("eventual") {
                pattern.remove("consistency");
            }
        }
    }
}

/// Turns a fragment of any version back into the design's JSON text (a version 2 link's
/// console is left unread).
pub fn decode(fragment: &str) -> Result<String, ShareError> {
    let (design, _) = split(fragment)?;
    design_text(design)
}

/// Turns a fragment into the design's JSON text and, for a version 2 link, its console. A
/// console part that cannot be read is its own error beside the design, which still opens.
pub fn decode_link(fragment: &str) -> Result<Link, ShareError> {
    let (design, console) = split(fragment)?;
    let design = design_text(design)?;
    let console = console.map(|part| read_console(&design, part));
    Ok(Link { design, console })
}

/// Checks a fragment's length, alphabet and version, and splits it into its design part and
/// a version 2 link's console part (both still base64url).
fn split(fragment: &str) -> Result<(&str, Option<&str>), ShareError> {
    let fragment = fragment.trim();
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    let chars = fragment.chars().count();
    if chars > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLong { chars });
    }
    // The one separator a version 2 link has; anywhere else a `.` is a stray character.
    let separator = fragment
        .starts_with(VERSION_2)
        .then(|| fragment.find(CONSOLE_SEPARATOR))
        .flatten();
    if let Some((position, (_, character))) =
        fragment.char_indices().enumerate().find(|(_, (at, c))| {
            !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || Some(*at) == separator)
        })
    {
        return Err(ShareError::InvalidCharacter {
            position,
            character,
        });
    }
    // Every character is ASCII from here on, so byte offsets are character offsets.
    let body = &fragment[1..];
    match fragment.chars().next() {
        Some(VERSION_1) => Ok((body, None)),
        Some(VERSION_2) => Ok(match separator {
            Some(at) => (&fragment[1..at], Some(&fragment[at + 1..])),
            None => (body, None),
        }),
        _ => Err(ShareError::UnknownVersion),
    }
}

/// The design text of a design part.
fn design_text(part: &str) -> Result<String, ShareError> {
    let compressed = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| ShareError::InvalidLength)?;
    let bytes = inflate_primed(DICTIONARY.as_bytes(), &compressed)?;
    String::from_utf8(bytes).map_err(|err| ShareError::NotText {
        offset: err.utf8_error().valid_up_to(),
    })
}

/// The console of a console part, primed with the design text it follows.
fn read_console(design: &str, part: &str) -> Result<Console, ConsoleError> {
    let compressed = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| ConsoleError::CutOff)?;
    let bytes = inflate_primed(&console_priming(design), &compressed)?;
    let text = String::from_utf8(bytes).map_err(|err| ConsoleError::NotText {
        offset: err.utf8_error().valid_up_to(),
    })?;
    let (settings, script) = text.split_once('\n').unwrap_or((&text, ""));
    let mut console: Console =
        serde_json::from_str(settings).map_err(|e| ConsoleError::Settings(e.to_string()))?;
    console.script = script.to_string();
    Ok(console)
}

/// What a console part is primed with: the design text it follows, then the console's
/// vocabulary, closest to the script that uses it.
fn console_priming(design_json: &str) -> Vec<u8> {
    [
        DICTIONARY.as_bytes(),
        design_json.as_bytes(),
        CONSOLE_DICTIONARY.as_bytes(),
    ]
    .concat()
}

/// The part of a priming text DEFLATE can refer to: its last [`WINDOW`] bytes.
fn window(priming: &[u8]) -> &[u8] {
    &priming[priming.len().saturating_sub(WINDOW)..]
}

/// Raw DEFLATE of `data` as if `priming` came just before it.
fn deflate_primed(priming: &[u8], data: &[u8]) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(10, -15, 0);
    let mut compressor = CompressorOxide::new(flags);
    // Priming: the text goes through the compressor first and its output is dropped; a sync
    // flush ends it on a byte boundary, so the data's blocks stand alone.
    let (status, _) =
        compress_to_output(&mut compressor, window(priming), TDEFLFlush::Sync, |_| true);
    let mut out = Vec::new();
    let (status, _) = match status {
        TDEFLStatus::Okay => {
            compress_to_output(&mut compressor, data, TDEFLFlush::Finish, |bytes| {
                out.extend_from_slice(bytes);
                true
            })
        }
        other => (other, 0),
    };
    if status != TDEFLStatus::Done {
        // The in-memory compressor has no failure mode for valid input; should one appear,
        // an unprimed stream still decodes (it never refers back into the priming text).
        out = miniz_oxide::deflate::compress_to_vec(data, 10);
    }
    out
}

/// Inflates raw DEFLATE made by [`deflate_primed`] with the same priming text, up to
/// [`MAX_INFLATED_BYTES`].
fn inflate_primed(priming: &[u8], compressed: &[u8]) -> Result<Vec<u8>, ShareError> {
    // The priming text as a stored block (not final), then the payload: the inflater's window
    // holds it when the payload's matches refer back into it. A window fits one stored block.
    let window = window(priming);
    let len = window.len() as u16;
    let mut stream = Vec::with_capacity(5 + window.len() + compressed.len());
    stream.push(0);
    stream.extend_from_slice(&len.to_le_bytes());
    stream.extend_from_slice(&(!len).to_le_bytes());
    stream.extend_from_slice(window);
    stream.extend_from_slice(compressed);
    let limit = MAX_INFLATED_BYTES + window.len();
    let mut bytes =
        inflate::decompress_to_vec_with_limit(&stream, limit).map_err(|err| match err.status {
            TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                limit: MAX_INFLATED_BYTES,
            },
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                ShareError::Truncated
            }
            _ => ShareError::Corrupt,
        })?;
    bytes.drain(..window.len().min(bytes.len()));
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Decodes a fragment and shows either the text or the error message.
    fn check(fragment: &str, expect: Expect) {
        let shown = match decode(fragment) {
            Ok(text) => format!("ok: {text}"),
            Err(err) => format!("error: {err}"),
        };
        expect.assert_eq(&shown);
    }

    fn deflate(bytes: &[u8]) -> String {
        format!(
            "{VERSION_1}{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
        )
    }

    #[test]
    fn round_trips() {
        let design = r#"{"name":"blog","entities":[{"name":"<img src=x onerror=alert(1)>"}]}"#;
        check(
            &encode(design),
            expect![[
                r#"ok: {"name":"blog","entities":[{"name":"<img src=x onerror=alert(1)>"}]}"#
            ]],
        );
        check(&encode("é ✓ 🦀"), expect!["ok: é ✓ 🦀"]);
    }

    #[test]
    fn rejects_bad_text() {
        check("", expect!["error: the share link holds no design"]);
        check("   ", expect!["error: the share link holds no design"]);
        check(
            "abc$def",
            expect![[
                r#"error: the share link has '$' at position 3, which is not a base64url character"#
            ]],
        );
        check(
            "q+8=",
            expect![[
                r#"error: the share link has '+' at position 1, which is not a base64url character"#
            ]],
        );
        check(
            "1A",
            expect![
                "error: the share link has a length no encoder produces: it was probably cut off"
            ],
        );
        check(
            "garbage-fragment",
            expect!["error: the share link was made by another version of schemaplay, or is not a schemaplay link"],
        );
        check(
            "1garbage-fragment",
            expect!["error: the share link is damaged: its data is not a compressed design"],
        );
    }

    #[test]
    fn rejects_truncated_links() {
        let full = encode(
            r#"{"name":"a design long enough to span a few deflate symbols","entities":[]}"#,
        );
        // Cut after whole base64 quads, so the text itself still decodes.
        let cut = &full[..1 + (full.len() / 2) / 4 * 4];
        check(
            cut,
            expect![
                "error: the share link ends in the middle of the design: it was probably cut off"
            ],
        );
    }

    #[test]
    fn stops_inflate_bombs_at_the_limit() {
        // 100 MB of zeros deflates to about 100 KB; decoding must stop at the 1 MB cap.
        let bomb = deflate(&vec![b'0'; 100 * 1024 * 1024]);
        check(
            &bomb,
            expect!["error: the share link would unpack to more than 1048576 bytes, more than any design needs; it was not opened"],
        );
        // Exactly at the limit is still fine.
        assert_eq!(
            decode(&deflate(&vec![b' '; MAX_INFLATED_BYTES])).map(|t| t.len()),
            Ok(MAX_INFLATED_BYTES)
        );
        check(
            &"A".repeat(MAX_FRAGMENT_CHARS + 1),
            expect!["error: the share link is 2097153 characters long, more than the 2097152 a design can take"],
        );
    }

    #[test]
    fn rejects_non_text() {
        check(
            &deflate(&[b'{', 0xff, 0xfe]),
            expect!["error: the share link unpacks to bytes that are not text (at byte 1)"],
        );
    }

    #[test]
    fn examples_round_trip_and_the_users_example_is_short() {
        for example in crate::examples::all() {
            let fragment = encode_design(&example.design);
            let back = decode(&fragment).map(|text| Design::from_json_unchecked(&text));
            assert_eq!(back, Ok(Ok(example.design.clone())), "{}", example.id);
            if example.id == "user-app" {
                assert!(fragment.len() <= 1100, "{} characters", fragment.len());
            }
        }
    }

    fn console(script: &str) -> Console {
        Console {
            view: Some("query".into()),
            database: Some(ConsoleDatabase::Dynamo),
            mode: Some(ConsoleMode::Script),
            pattern: Some("Get user by id".into()),
            per_entity: Some(50),
            seed: Some(7),
            script: script.into(),
        }
    }

    /// Decodes a link and shows the design text and the console, or the error.
    fn check_link(fragment: &str, expect: Expect) {
        let shown = match decode_link(fragment) {
            Ok(Link { design, console }) => match console {
                None => format!("design: {design}\nno console"),
                Some(Ok(console)) => format!("design: {design}\nconsole: {console:?}"),
                Some(Err(err)) => format!("design: {design}\nconsole error: {err}"),
            },
            Err(err) => format!("error: {err}"),
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn version_2_carries_the_console_verbatim() {
        let script = "db.users.find({ name: \"Zoë\" })\n\n  // 🦀 `${x}` \\n\r\nawait client.send(new GetCommand({}))\n";
        let fragment = encode_with_console(r#"{"name":"blog"}"#, &console(script));
        assert!(fragment.starts_with('2'));
        let link = decode_link(&fragment);
        assert_eq!(
            link,
            Ok(Link {
                design: r#"{"name":"blog"}"#.into(),
                console: Some(Ok(console(script))),
            })
        );
        // A reader that wants the design alone gets it from either version.
        assert_eq!(decode(&fragment), Ok(r#"{"name":"blog"}"#.into()));
        // Only what was set is written; the rest reads back absent.
        let bare = encode_with_console("{}", &Console::default());
        check_link(
            &bare,
            expect![[r#"
                design: {}
                console: Console { view: None, database: None, mode: None, pattern: None, per_entity: None, seed: None, script: "" }"#]],
        );
        check_link(
            &encode("{}"),
            expect![[r#"
            design: {}
            no console"#]],
        );
    }

    #[test]
    fn a_damaged_console_still_opens_the_design() {
        let fragment = encode_with_console(r#"{"name":"blog"}"#, &console("db.users.find()"));
        let (design, part) = fragment.split_once('.').unwrap_or_default();
        check_link(
            &format!("{design}.{}", &part[..part.len() / 2 / 4 * 4]),
            expect![[r#"
                design: {"name":"blog"}
                console error: the console part of the share link (its script and data settings) was cut off"#]],
        );
        check_link(
            &format!("{design}.{}", &part[..part.len() - 1]),
            expect![[r#"
                design: {"name":"blog"}
                console error: the console part of the share link (its script and data settings) was cut off"#]],
        );
        check_link(
            &format!("{design}.garbage-part"),
            expect![[r#"
                design: {"name":"blog"}
                console error: the console part of the share link (its script and data settings) is damaged"#]],
        );
        check_link(
            &format!("{design}."),
            expect![[r#"
                design: {"name":"blog"}
                console error: the console part of the share link (its script and data settings) was cut off"#]],
        );
        // Settings that name a database this build does not know.
        let part = |text: &str| {
            URL_SAFE_NO_PAD.encode(deflate_primed(
                &console_priming(r#"{"name":"blog"}"#),
                text.as_bytes(),
            ))
        };
        check_link(
            &format!(
                "{design}.{}",
                part("{\"database\":\"oracle\"}\ndb.x.find()")
            ),
            expect![[r#"
                design: {"name":"blog"}
                console error: the console part of the share link (its script and data settings) has unreadable settings: unknown variant `oracle`, expected `mongo` or `dynamo` at line 1 column 20"#]],
        );
        check_link(
            &format!("{design}.{}", part("{\"seed\":-1}")),
            expect![[r#"
                design: {"name":"blog"}
                console error: the console part of the share link (its script and data settings) has unreadable settings: invalid value: integer `-1`, expected u64 at line 1 column 10"#]],
        );
        // Settings from a later build, with a key this one does not know, still read.
        check_link(
            &format!("{design}.{}", part("{\"seed\":3,\"theme\":\"dark\"}\nx")),
            expect![[r#"
                design: {"name":"blog"}
                console: Console { view: None, database: None, mode: None, pattern: None, per_entity: None, seed: Some(3), script: "x" }"#]],
        );
        // A console that inflates past the cap is refused; the design is not.
        let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
            &vec![b' '; 20 * MAX_INFLATED_BYTES],
            9,
        ));
        check_link(
            &format!("{design}.{bomb}"),
            expect![[r#"
                design: {"name":"blog"}
                console error: the console part of the share link (its script and data settings) would unpack to more than 1048576 bytes; it was not opened"#]],
        );
        // A damaged design part is the link's error, whatever the console.
        check_link(
            &format!("2garbage-fragment.{}", part("{}")),
            expect!["error: the share link is damaged: its data is not a compressed design"],
        );
    }

    /// Every cut and every changed character of a console part: never a panic, and the design
    /// always opens.
    #[test]
    fn damage_to_the_console_part_never_costs_the_design() {
        let fragment = encode_with_console(
            r#"{"name":"blog","entities":[{"name":"User"}]}"#,
            &console("db.users.find({ name: 'Ann' }).sort({ createdAt: -1 })"),
        );
        let Some(at) = fragment.find('.') else {
            panic!("no console part in {fragment}");
        };
        let design_opens = |fragment: &str| {
            let link = decode_link(fragment);
            assert_eq!(
                link.map(|l| l.design),
                Ok(r#"{"name":"blog","entities":[{"name":"User"}]}"#.to_string()),
                "{fragment}"
            );
        };
        for end in at + 1..fragment.len() {
            design_opens(&fragment[..end]);
        }
        for position in at + 1..fragment.len() {
            for replacement in ['A', 'z', '_', '0'] {
                let mut damaged = fragment.clone();
                damaged.replace_range(position..position + 1, &replacement.to_string());
                design_opens(&damaged);
            }
        }
    }

    #[test]
    fn the_separator_belongs_to_version_2_alone() {
        let v1 = encode("{}");
        check(
            &format!("{v1}.{}", &v1[1..]),
            expect![
                "error: the share link has '.' at position 7, which is not a base64url character"
            ],
        );
        let v2 = encode_with_console("{}", &Console::default());
        check_link(
            &format!("{v2}.AAAA"),
            expect![
                "error: the share link has '.' at position 15, which is not a base64url character"
            ],
        );
    }

    #[test]
    fn rejects_other_versions() {
        check(
            &format!("3{}", &encode("{}")[1..]),
            expect!["error: the share link was made by another version of schemaplay, or is not a schemaplay link"],
        );
    }
}
