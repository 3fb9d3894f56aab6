"""What an import read: the counts ``communitylab import --summary-json`` prints and data cards record."""

from __future__ import annotations

__all__ = ["import_summary"]


def import_summary(messages, report) -> dict[str, object]:
    """Counts and time span of an imported export.

    Parameters
    ----------
    messages : pandas.DataFrame
        The ``Messages`` table of :mod:`communitylab.data.schema`.
    report : ImportReport
        The importer's report (format, records read, kept and dropped).

    Returns
    -------
    dict
        ``format``; ``messages`` (user messages, bots included, not service events);
        ``system_events`` (joins, leaves, renames, calls and other notices); ``authors``
        (distinct authors of ``messages``); ``first``/``last`` (ISO 8601 with UTC offset of
        the first and last message, of all records when there is no message; ``None`` if
        empty); ``replies`` (messages that reply to another or sit in a thread under
        another); ``read``, ``kept``, ``dropped`` (records; ``read == kept + dropped``, a
        repeated message id is kept once and counted as dropped).
    """
    from communitylab.data.schema import EVENT_KINDS

    is_event = messages["kind"].isin(EVENT_KINDS).to_numpy()
    posts = messages[~is_event]
    span = posts if len(posts) else messages
    reply_to = posts["reply_to"].notna()
    in_thread = posts["thread"].notna() & (posts["thread"].astype(object) != posts["message_id"].astype(object))
    stamps = span["timestamp"]
    return {
        "format": report.format,
        "messages": len(posts),
        "system_events": int(is_event.sum()),
        "authors": int(posts["author_id"].dropna().nunique()),
        "first": stamps.min().isoformat() if len(stamps) else None,
        "last": stamps.max().isoformat() if len(stamps) else None,
        "replies": int((reply_to | in_thread.fillna(False)).sum()),
        "read": int(report.read),
        "kept": int(report.kept),
        "dropped": int(report.dropped),
    }
