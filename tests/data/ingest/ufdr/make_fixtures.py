"""Writes the UFDR fixtures: ``report.xml`` and ``willow_phone.ufdr`` (run from anywhere).

No openly licensed Cellebrite report exists, so this builds one in the shape of
UFED Reader's ``report.xml`` (namespace ``http://pa.cellebrite.com/report/2.0``):
an extraction of PCSO Marsh's personal phone (07700 900102) in OP-WILLOW, with
calls, texts, a WhatsApp chat with attachments, a Messenger group chat, an
e-mail, a contact (not a contact event) and a tagged file. Output is
deterministic so the committed files match what this script writes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
FIXED_TIME = (2022, 2, 21, 9, 0, 0)


def field(name: str, value: str, kind: str = "String") -> str:
    return (f'<field name="{name}" type="{kind}"><value type="{kind}">'
            f"<![CDATA[{value}]]></value></field>")


def party(identifier: str, name: str = "", role: str = "", owner: bool | None = None) -> str:
    parts = [field("Identifier", identifier)] if identifier else []
    if name:
        parts.append(field("Name", name))
    if role:
        parts.append(field("Role", role, "PartyRole"))
    if owner is not None:
        parts.append(field("IsPhoneOwner", "True" if owner else "False", "Boolean"))
    return f'<model type="Party" id="p-{escape(identifier or name)}-{role}">{"".join(parts)}</model>'


def parties(name: str, *models: str, single: bool = False) -> str:
    tag = "modelField" if single else "multiModelField"
    return f'<{tag} name="{name}" type="Party">{"".join(models)}</{tag}>'


def attachment(filename: str, content_type: str) -> str:
    return ('<multiModelField name="Attachments" type="Attachment"><model type="Attachment" '
            f'id="att-{filename}">{field("Filename", filename)}'
            f'{field("ContentType", content_type)}</model></multiModelField>')


def model(kind: str, ident: str, *children: str, deleted: bool = False) -> str:
    state = "Deleted" if deleted else "Intact"
    return (f'<model type="{kind}" id="{ident}" deleted_state="{state}" '
            f'decoding_confidence="High" isrelated="False" source_index="0" extractionId="0">'
            f'{"".join(children)}</model>')


OWNER = "+447700900102"
KERRY = "+447700900201"
PRIYA = "+447700900301"

CALLS = [
    model("Call", "call-1", field("Source", "Phone"), field("Type", "Outgoing", "CallType"),
          field("Status", "Established"),
          field("TimeStamp", "2021-03-20T19:02:00.000+00:00", "TimeStamp"),
          field("Duration", "00:03:25", "TimeSpan"),
          parties("Parties", party(OWNER, "", "From", True), party(KERRY, "Kerry", "To", False))),
    # An incoming missed call lists only the caller: the other side is the phone's owner.
    model("Call", "call-2", field("Source", "Phone"), field("Type", "Missed", "CallType"),
          field("TimeStamp", "2021-03-21T23:15:40.000+00:00", "TimeStamp"),
          field("Duration", "00:00:00", "TimeSpan"),
          parties("Parties", party(KERRY, "Kerry", "From", False))),
    model("Call", "call-3", field("Source", "WhatsApp"), field("Direction", "Incoming"),
          field("TimeStamp", "2021-03-22T21:00:05.000+01:00", "TimeStamp"),
          field("Duration", "95", "TimeSpan"),
          parties("Parties", party("447700900201@s.whatsapp.net", "Kerry", "From", False))),
]
SMS = [
    # A naive time stamp in the autumn clock-change hour: local, and flagged ambiguous.
    model("SMS", "sms-1", field("Source", "Native Messages"), field("Folder", "Inbox"),
          field("TimeStamp", "2021-10-31T01:30:00", "TimeStamp"),
          field("Body", "Thanks for today x"),
          parties("Parties", party(KERRY, "Kerry", "From", False))),
    model("SMS", "sms-2", field("Source", "Native Messages"), field("Folder", "Sent"),
          field("TimeStamp", "2021-03-23T08:10:00.000+00:00", "TimeStamp"),
          field("Body", "Running late, see you both at the station"),
          parties("Parties", party(KERRY, "Kerry", "To", False),
                  party(PRIYA, "Priya", "To", False))),
    model("SMS", "sms-3", field("Source", "Native Messages"), field("Folder", "Sent"),
          field("TimeStamp", "2021-03-24T22:41:00.000+00:00", "TimeStamp"),
          field("Body", "Delete this after you read it"),
          parties("Parties", party(KERRY, "", "To", False)), deleted=True),
]
WHATSAPP_CHAT = model(
    "Chat", "chat-wa-1", field("Source", "WhatsApp"), field("Name", "Kerry"),
    parties("Participants", party("447700900102@s.whatsapp.net", "Me", "", True),
            party("447700900201@s.whatsapp.net", "Kerry", "", False)),
    '<multiModelField name="Messages" type="InstantMessage">'
    + model("InstantMessage", "im-1", field("Source", "WhatsApp"),
            field("TimeStamp", "2021-03-25T20:30:00.000+00:00", "TimeStamp"),
            field("Body", "Hiya, is this the PCSO?"),
            parties("From", party("447700900201@s.whatsapp.net", "Kerry", "From", False),
                    single=True))
    + model("InstantMessage", "im-2", field("Source", "WhatsApp"),
            field("TimeStamp", "2021-03-25T20:34:10.000+00:00", "TimeStamp"),
            field("Body", "It is. Here's my own number, easier than the work one"),
            parties("From", party("447700900102@s.whatsapp.net", "Me", "From", True),
                    single=True),
            attachment("IMG-20210325-WA0001.jpg", "image/jpeg"))
    + "</multiModelField>",
)
MESSENGER_GROUP = model(
    "Chat", "chat-fb-1", field("Source", "Facebook Messenger"), field("Name", "Night out"),
    parties("Participants", party("100001", "Dan Marsh", "", True),
            party("100002", "Kerry Lowe", "", False), party("100003", "Sam Carter", "", False)),
    '<multiModelField name="Messages" type="InstantMessage">'
    + model("InstantMessage", "im-3", field("Source", "Facebook Messenger"),
            field("TimeStamp", "2021-04-02T18:00:00.000+01:00", "TimeStamp"),
            field("Body", "Who's coming Saturday?"),
            parties("From", party("100002", "Kerry Lowe", "From", False), single=True))
    + "</multiModelField>",
)
EMAIL = model("Email", "email-1", field("Source", "Gmail"),
              field("TimeStamp", "2021-03-26T09:00:00.000+00:00", "TimeStamp"),
              field("Subject", "Crime reference"), field("Body", "Your reference is 13/45678/21."),
              parties("From", party("d.marsh.personal@example.com", "Dan", "From", True)),
              parties("To", party("kerry.lowe@example.com", "Kerry Lowe", "To", False)))
CONTACT = model("Contact", "contact-1", field("Source", "Phone"), field("Name", "Kerry"),
                parties("Entries", party(KERRY, "Kerry")))


def report_xml() -> str:
    def section(kind: str, *models: str) -> str:
        return f'<modelType type="{kind}">{"".join(models)}</modelType>'

    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<project id="5c1e7f0e-1111-4a4a-9b9b-000000000001" name="Willow handset" '
        'reportVersion="7.60.0.0" containerVersion="1.0.0.0" '
        'xmlns="http://pa.cellebrite.com/report/2.0">\n'
        '<sourceExtractions><extractionInfo id="0" name="Logical" type="Logical" '
        'deviceName="Samsung SM-G991B" index="0" IsPartialData="False" /></sourceExtractions>\n'
        '<metadata section="Additional Fields"><item name="DeviceInfoSelectedManufacturer">'
        '<![CDATA[Samsung]]></item><item name="MSISDN"><![CDATA[+447700900102]]></item>'
        '</metadata>\n'
        '<taggedFiles><file fs="Logical" path="/Media/IMG-20210325-WA0001.jpg" size="4" '
        'id="f-1" extractionId="0" deleted="Intact" /></taggedFiles>\n'
        "<decodedData>\n"
        + section("Call", *CALLS) + "\n"
        + section("SMS", *SMS) + "\n"
        + section("Chat", WHATSAPP_CHAT, MESSENGER_GROUP) + "\n"
        + section("Email", EMAIL) + "\n"
        + section("Contact", CONTACT) + "\n"
        + "</decodedData>\n</project>\n"
    )


def write(folder: Path = HERE) -> tuple[Path, Path]:
    """Write ``report.xml`` and ``willow_phone.ufdr`` into ``folder``."""
    report = folder / "report.xml"
    report.write_text(report_xml(), encoding="utf-8")
    archive_path = folder / "willow_phone.ufdr"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("report.xml", report.read_bytes()),
                           ("files/Image/IMG-20210325-WA0001.jpg", b"\xff\xd8\xff\xd9")):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return report, archive_path


if __name__ == "__main__":
    for path in write():
        print(path)
