//! Conversations over the API: the caller's conversations, messages, read marks, muting,
//! blocks, who may start a conversation with the caller, and reports of messages.

use super::extract::{ApiJson, ApiQuery, path_id};
use crate::AppState;
use crate::auth::ApiCaller;
use crate::error::{ApiError, ApiResult, Problem};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::conversations::{
    BlockView, ConversationView, MessageReport, MessageView, MessagesFrom, NewConversation,
    Subject, Thread,
};
use guildhall_domain::account::Handle;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The caller's conversations.
#[derive(Serialize, ToSchema)]
pub struct ConversationList {
    /// Up to 200, the most recently active first.
    items: Vec<ConversationView>,
    /// How many that are not muted have unread messages.
    unread: i64,
}

/// The caller's conversations, the most recently active first.
#[utoipa::path(get, path = "/api/v1/me/conversations", operation_id = "list_conversations", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = ConversationList)))]
pub async fn list(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<ConversationList>> {
    let (items, unread) = state
        .run(move |app| {
            let c = app.conversations();
            Ok((c.list(&caller.account)?, c.unread(&caller.account)?))
        })
        .await?;
    Ok(Json(ConversationList { items, unread }))
}

/// How many conversations have unread messages.
#[derive(Serialize, ToSchema)]
pub struct UnreadConversations {
    /// Conversations, not muted, with messages the caller has not read.
    count: i64,
}

/// How many of the caller's conversations have unread messages, for a badge.
#[utoipa::path(get, path = "/api/v1/me/conversations/unread", operation_id = "count_unread_conversations", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = UnreadConversations)))]
pub async fn unread(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<UnreadConversations>> {
    let count = state
        .run(move |app| app.conversations().unread(&caller.account))
        .await?;
    Ok(Json(UnreadConversations { count }))
}

/// Starts a conversation with one member (a second start with the same member adds to the
/// pair's one conversation) or with several (a group), with its first message.
#[utoipa::path(post, path = "/api/v1/conversations", operation_id = "start_conversation", tag = "conversations", security(("bearer" = [])), request_body = NewConversation,
    responses((status = 201, body = ConversationView), (status = 422, body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewConversation>,
) -> ApiResult<(StatusCode, Json<ConversationView>)> {
    let view = state
        .run(move |app| app.conversations().start(&caller.account, body))
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// What to open the conversation of.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachBody {
    /// A job (to ask its client), a proposal, a contract or a community.
    subject: Subject,
    /// Its id.
    id: String,
}

/// Opens the conversation of a job, a proposal, a contract or a community the caller takes
/// part in, creating it the first time.
#[utoipa::path(post, path = "/api/v1/conversations/attached", operation_id = "open_conversation", tag = "conversations", security(("bearer" = [])), request_body = AttachBody,
    responses((status = 200, body = ConversationView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn open(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<AttachBody>,
) -> ApiResult<Json<ConversationView>> {
    let id = path_id(&body.id)?;
    Ok(Json(
        state
            .run(move |app| app.conversations().open(&caller.account, body.subject, &id))
            .await?,
    ))
}

/// Which messages to read.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AfterQuery {
    /// Only messages after this one (a message id), to fetch what is new.
    #[param(max_length = 64)]
    after: Option<String>,
}

/// A conversation with its newest 200 messages, or those after a message.
#[utoipa::path(get, path = "/api/v1/conversations/{id}", operation_id = "get_conversation", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Conversation id"), AfterQuery),
    responses((status = 200, body = Thread), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn show(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<AfterQuery>,
) -> ApiResult<Json<Thread>> {
    let id = path_id(&raw)?;
    let after = q.after.unwrap_or_default();
    Ok(Json(
        state
            .run(move |app| app.conversations().show(&caller.account, &id, &after))
            .await?,
    ))
}

/// A message's text.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// Markdown; `@handle` mentions a member of the conversation.
    body: String,
}

/// A message to send.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBody {
    /// Markdown; `@handle` mentions a member of the conversation.
    body: String,
    /// Ids of files uploaded to the conversation (at most 5), from
    /// `POST /api/v1/conversations/{id}/files`.
    #[serde(default)]
    files: Vec<String>,
}

/// Sends a message, with files uploaded before if any.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", operation_id = "send_message", tag = "conversations", security(("bearer" = [])), request_body = SendBody,
    params(("id" = String, Path, description = "Conversation id")),
    responses((status = 201, body = MessageView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn send(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SendBody>,
) -> ApiResult<(StatusCode, Json<MessageView>)> {
    let id = path_id(&raw)?;
    let message = state
        .run(move |app| {
            app.conversations()
                .send_with_files(&caller.account, &id, &body.body, &body.files)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(message)))
}

/// Edits the caller's message; it shows as edited.
#[utoipa::path(patch, path = "/api/v1/conversations/{id}/messages/{message}", operation_id = "edit_message", tag = "conversations", security(("bearer" = [])), request_body = MessageBody,
    params(("id" = String, Path, description = "Conversation id"), ("message" = String, Path, description = "Message id")),
    responses((status = 200, body = MessageView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, message)): Path<(String, String)>,
    ApiJson(body): ApiJson<MessageBody>,
) -> ApiResult<Json<MessageView>> {
    let (id, message) = (path_id(&raw)?, path_id(&message)?);
    Ok(Json(
        state
            .run(move |app| {
                app.conversations()
                    .edit(&caller.account, &id, &message, &body.body)
            })
            .await?,
    ))
}

/// Deletes the caller's message: its text goes, a mark that it was deleted stays.
#[utoipa::path(delete, path = "/api/v1/conversations/{id}/messages/{message}", operation_id = "delete_message", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Conversation id"), ("message" = String, Path, description = "Message id")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, message)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let (id, message) = (path_id(&raw)?, path_id(&message)?);
    state
        .run(move |app| app.conversations().delete(&caller.account, &id, &message))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks every message of a conversation read.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/read", operation_id = "mark_conversation_read", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let id = path_id(&raw)?;
    state
        .run(move |app| app.conversations().mark_read(&caller.account, &id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether a conversation is muted.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MuteBody {
    /// A muted conversation tells nothing new (mentions still do) and counts in no badge.
    muted: bool,
}

/// Mutes or unmutes a conversation.
#[utoipa::path(put, path = "/api/v1/conversations/{id}/mute", operation_id = "mute_conversation", tag = "conversations", security(("bearer" = [])), request_body = MuteBody,
    params(("id" = String, Path, description = "Conversation id")),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn mute(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<MuteBody>,
) -> ApiResult<StatusCode> {
    let id = path_id(&raw)?;
    state
        .run(move |app| app.conversations().mute(&caller.account, &id, body.muted))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Why a message is reported.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageReportBody {
    /// The reason those who handle it read.
    reason: String,
}

/// Reports a message: to the community's curators in a community's conversation, to the
/// instance's operators otherwise.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages/{message}/reports", operation_id = "report_message", tag = "conversations", security(("bearer" = [])), request_body = MessageReportBody,
    params(("id" = String, Path, description = "Conversation id"), ("message" = String, Path, description = "Message id")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((raw, message)): Path<(String, String)>,
    ApiJson(body): ApiJson<MessageReportBody>,
) -> ApiResult<StatusCode> {
    let (id, message) = (path_id(&raw)?, path_id(&message)?);
    state
        .run(move |app| {
            app.conversations()
                .report(&caller.account, &id, &message, &body.reason)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open reports of messages the caller handles: the operators' and those of the communities
/// the caller curates.
#[utoipa::path(get, path = "/api/v1/message-reports", operation_id = "list_message_reports", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = Vec<MessageReport>)))]
pub async fn reports(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<MessageReport>>> {
    Ok(Json(
        state
            .run(move |app| app.conversations().reports(&caller.account))
            .await?,
    ))
}

/// What to do with a report.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    /// Take the message down; its other reports close too.
    Remove,
    /// Leave the message; its reports close.
    Dismiss,
}

/// How a report is settled.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettleBody {
    /// Remove the message, or dismiss its reports.
    action: Settlement,
}

/// Settles a report (the community's curators, or the operators).
#[utoipa::path(post, path = "/api/v1/message-reports/{id}", operation_id = "settle_message_report", tag = "conversations", security(("bearer" = [])), request_body = SettleBody,
    params(("id" = String, Path, description = "Report id")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn settle(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SettleBody>,
) -> ApiResult<StatusCode> {
    let id = path_id(&raw)?;
    let remove = matches!(body.action, Settlement::Remove);
    state
        .run(move |app| {
            app.conversations()
                .settle_report(&caller.account, &id, remove)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The members the caller blocked, the most recent first.
#[utoipa::path(get, path = "/api/v1/me/blocks", operation_id = "list_blocks", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = Vec<BlockView>)))]
pub async fn blocks(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<BlockView>>> {
    Ok(Json(
        state
            .run(move |app| app.conversations().blocks(&caller.account))
            .await?,
    ))
}

fn handle(raw: &str) -> Result<String, ApiError> {
    Handle::parse(raw)
        .map(|h| h.as_str().to_string())
        .map_err(|_| ApiError::not_found())
}

/// Blocks a member: each is hidden from the other's search, and neither may message, suggest
/// skills to, invite or ask to connect with the other.
#[utoipa::path(put, path = "/api/v1/me/blocks/{handle}", operation_id = "block_member", tag = "conversations", security(("bearer" = [])),
    params(("handle" = String, Path, description = "Member handle")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn block(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let handle = handle(&raw)?;
    state
        .run(move |app| app.conversations().block(&caller.account, &handle))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lifts a block.
#[utoipa::path(delete, path = "/api/v1/me/blocks/{handle}", operation_id = "unblock_member", tag = "conversations", security(("bearer" = [])),
    params(("handle" = String, Path, description = "Member handle")),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn unblock(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(raw): Path<String>,
) -> ApiResult<StatusCode> {
    let handle = handle(&raw)?;
    state
        .run(move |app| app.conversations().unblock(&caller.account, &handle))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Who may start a conversation with the caller.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageSettings {
    /// `work` (people with a contract or a proposal between you), `connections` (and your
    /// connections) or `communities` (and members of your communities; the default).
    messages_from: MessagesFrom,
}

/// Who may start a conversation with the caller.
#[utoipa::path(get, path = "/api/v1/me/message-settings", operation_id = "message_settings", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = MessageSettings)))]
pub async fn settings(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<MessageSettings>> {
    let messages_from = state
        .run(move |app| app.conversations().messages_from(&caller.account))
        .await?;
    Ok(Json(MessageSettings { messages_from }))
}

/// Sets who may start a conversation with the caller.
#[utoipa::path(put, path = "/api/v1/me/message-settings", operation_id = "set_message_settings", tag = "conversations", security(("bearer" = [])), request_body = MessageSettings,
    responses((status = 200, body = MessageSettings), (status = 422, body = Problem)))]
pub async fn set_settings(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<MessageSettings>,
) -> ApiResult<Json<MessageSettings>> {
    let value = body.messages_from;
    state
        .run(move |app| {
            app.conversations()
                .set_messages_from(&caller.account, value)
        })
        .await?;
    Ok(Json(MessageSettings {
        messages_from: value,
    }))
}
