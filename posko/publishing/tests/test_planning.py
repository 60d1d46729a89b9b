"""Planning publications: recurring series with an end, CSV import (all or nothing) and
export, duplicate/same-hour warnings, comments linked to a post, the traffic map image."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from posko.aduan.models import AuditEvent
from posko.channels.models import ChannelAccount, ChannelMessage, Contact, ContactIdentity
from posko.conftest import PASSWORD
from posko.org.models import Officer, Unit
from posko.publishing.actions.common import PostError
from posko.publishing.actions.compose import Draft, do_create_post, photos_of
from posko.publishing.actions.maps import do_attach_traffic_map
from posko.publishing.actions.planning import do_import_posts, export_posts
from posko.publishing.actions.review import do_approve
from posko.publishing.actions.series import (
    SeriesDraft,
    do_cancel_series,
    do_create_series,
    do_edit_series,
)
from posko.publishing.checks import conflict_warnings, duplicate_warnings
from posko.publishing.limits import validate_variant
from posko.publishing.models import (
    Post,
    PostSeries,
    PostStatus,
    PostTarget,
    SeriesStatus,
    TargetStatus,
)


def login(officer: Officer) -> Client:
    client = Client()
    assert client.login(username=officer.user.username, password=PASSWORD)
    return client


def _next_monday_9() -> datetime:
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()).replace(hour=9))


def _series_draft(accounts: list[ChannelAccount], **kw: Any) -> SeriesDraft:
    values: dict[str, Any] = {
        "kind": "kampanye_edukasi",
        "text": "Jumat Curhat bersama Kapolres: sampaikan aspirasi Anda.",
        "title": "Jumat Curhat",
        "accounts": accounts,
        "frequency": "weekly",
        "first_at": _next_monday_9(),
        "count": 4,
    }
    values.update(kw)
    return SeriesDraft(**values)


@pytest.mark.django_db
def test_a_weekly_series_creates_each_post_in_review_and_can_be_edited_and_cancelled(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    operator, kapolres = officers["operator"].user, officers["kapolres"].user
    chosen = [accounts["facebook"], accounts["telegram"]]
    series = do_create_series(polres, _series_draft(chosen), acting_user=operator)
    posts = list(series.posts.order_by("publish_at"))
    assert [p.status for p in posts] == [PostStatus.IN_REVIEW] * 4
    first = _next_monday_9()
    assert [timezone.localtime(p.publish_at) for p in posts] == [
        first + timedelta(weeks=i) for i in range(4)
    ]
    assert all(p.targets.count() == 2 for p in posts)
    assert AuditEvent.objects.filter(action="post_series_created").count() == 1
    do_approve(posts[0], acting_user=kapolres)
    posts[0].refresh_from_db()
    assert posts[0].status == PostStatus.SCHEDULED

    # Edit: new text, 3 times instead of 4 — every open occurrence is rewritten and goes back
    # to review (the scheduled one loses its schedule), the fourth is withdrawn.
    edited = _series_draft(chosen, text="Jumat Curhat pindah ke Balai Desa Gantung.", count=3)
    do_edit_series(series, edited, acting_user=operator)
    posts = list(series.posts.order_by("publish_at"))
    assert [p.status for p in posts] == [PostStatus.IN_REVIEW] * 3 + [PostStatus.REJECTED]
    assert all(p.text == "Jumat Curhat pindah ke Balai Desa Gantung." for p in posts[:3])
    assert not PostTarget.objects.filter(post=posts[0], status=TargetStatus.SCHEDULED).exists()

    # A published occurrence stays; the others are withdrawn by the cancellation.
    Post.objects.filter(pk=posts[0].pk).update(status=PostStatus.PUBLISHED)
    assert do_cancel_series(series, acting_user=operator) == 2
    series.refresh_from_db()
    assert series.status == SeriesStatus.CANCELLED
    statuses = list(series.posts.order_by("publish_at").values_list("status", flat=True))
    assert statuses == [PostStatus.PUBLISHED] + [PostStatus.REJECTED] * 3
    with pytest.raises(PostError):
        do_cancel_series(series, acting_user=operator)


@pytest.mark.django_db
def test_a_monthly_series_until_a_date_keeps_the_day_within_short_months(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    year = timezone.localdate().year + 1
    first = timezone.make_aware(datetime(year, 1, 31, 8, 0))
    draft = _series_draft(
        [accounts["facebook"]],
        frequency="monthly",
        first_at=first,
        count=None,
        until=date(year, 4, 30),
    )
    series = do_create_series(polres, draft, acting_user=officers["operator"].user)
    days = [timezone.localtime(p.publish_at).date() for p in series.posts.order_by("publish_at")]
    february = 29 if year % 4 == 0 else 28
    assert days == [
        date(year, 1, 31),
        date(year, 2, february),
        date(year, 3, 31),
        date(year, 4, 30),
    ]


@pytest.mark.django_db
def test_a_series_without_an_end_or_with_a_bad_occurrence_saves_nothing(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    operator = officers["operator"].user
    with pytest.raises(PostError) as caught:
        do_create_series(
            polres, _series_draft([accounts["facebook"]], count=None), acting_user=operator
        )
    assert "Isi salah satu: sampai tanggal atau jumlah kali." in caught.value.errors
    with pytest.raises(PostError):
        do_create_series(
            polres, _series_draft([accounts["facebook"]], count=60), acting_user=operator
        )
    # X refuses more than 280 characters: the first occurrence fails, nothing is kept.
    long_text = "Waspada penipuan. " * 20
    with pytest.raises(PostError) as caught:
        do_create_series(
            polres, _series_draft([accounts["x"]], text=long_text), acting_user=operator
        )
    assert caught.value.errors[0].startswith(_next_monday_9().strftime("%d-%m-%Y %H:%M"))
    assert not Post.objects.exists() and not PostSeries.objects.exists()
    with pytest.raises(PostError):
        do_create_series(
            polres, _series_draft([accounts["facebook"]]), acting_user=officers["auditor"].user
        )


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["waktu_terbit", "jenis", "judul", "teks", "akun", "area", "what_to_do"])
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.django_db
def test_csv_import_is_all_or_nothing_with_an_error_per_line(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    operator = officers["operator"].user
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%d 10:00")
    good = [
        when,
        "kampanye_edukasi",
        "Anti narkoba",
        "Katakan tidak pada narkoba.",
        "facebook;x",
        "",
        "",
    ]
    bad = [
        [when, "pengumuman", "", "Teks", "facebook", "", ""],
        ["besok pagi", "Peringatan keamanan", "", "Waspada", "facebook", "Gantung", ""],
        [when, "imbauan", "", "Teks", "tiktok", "", ""],
    ]
    with pytest.raises(PostError) as caught:
        do_import_posts(polres, _csv([good, *bad]), acting_user=operator)
    errors = caught.value.errors
    assert errors[0] == "Baris 3: jenis “pengumuman” tidak dikenal"
    assert any(e.startswith("Baris 4: waktu_terbit") for e in errors)
    assert "Baris 5: akun tidak tersedia: tiktok" in errors
    assert not Post.objects.exists()
    # A kind-field missing (what_to_do of a security warning) is the composer's own error.
    warning = [when, "Peringatan keamanan", "", "Waspada", "telegram", "Gantung", ""]
    with pytest.raises(PostError) as caught:
        do_import_posts(polres, _csv([good, warning], delimiter=";"), acting_user=operator)
    assert caught.value.errors == ["Baris 3: Isian “Yang harus dilakukan warga” wajib diisi."]
    assert not Post.objects.exists()

    posts = do_import_posts(polres, _csv([good, good]), acting_user=operator)
    assert len(posts) == 2 and all(p.status == PostStatus.DRAFT for p in posts)
    assert sorted(t.platform for t in posts[0].targets.all()) == ["facebook", "x"]
    assert AuditEvent.objects.filter(action="post_imported").count() == 1


@pytest.mark.django_db
def test_csv_export_has_no_personal_data_and_reads_back(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    operator = officers["operator"]
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%d 10:00")
    row = [
        when,
        "peringatan_keamanan",
        "Curanmor",
        "Kunci ganda motor Anda.",
        "telegram",
        "Gantung",
        "Pasang kunci ganda",
    ]
    do_import_posts(polres, _csv([row]), acting_user=operator.user)
    response = login(operator).get("/posko/publikasi/ekspor.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "operator" not in body and accounts["telegram"].external_id not in body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["teks"] == "Kunci ganda motor Anda." and rows[0]["status"] == "draft"
    assert rows[0]["area"] == "Gantung" and rows[0]["akun"] == "telegram"
    again = do_import_posts(polres, body.encode(), acting_user=operator.user)
    assert again[0].fields == {"area": "Gantung", "what_to_do": "Pasang kunci ganda"}
    assert export_posts([]).startswith("waktu_terbit,jenis")
    # A text a spreadsheet would run as a formula is exported inert and read back as written.
    formula = [when, "imbauan", "=HYPERLINK(1)", "-- Hati-hati di jalan --", "telegram", "", ""]
    imported = do_import_posts(polres, _csv([formula]), acting_user=operator.user)
    exported = export_posts(imported)
    assert "'=HYPERLINK(1)" in exported and "'-- Hati-hati" in exported
    back = do_import_posts(polres, exported.encode(), acting_user=operator.user)
    assert (back[0].title, back[0].text) == ("=HYPERLINK(1)", "-- Hati-hati di jalan --")


@pytest.mark.django_db
def test_console_import_page_shows_errors_and_saves_nothing(
    officers: dict[str, Officer], accounts: dict[str, ChannelAccount]
) -> None:
    client = login(officers["operator"])
    assert client.get("/posko/publikasi/impor/").status_code == 200
    upload = SimpleUploadedFile("rencana.csv", _csv([["x", "y", "", "", "", "", ""]]))
    page = client.post("/posko/publikasi/impor/", {"file": upload})
    assert page.status_code == 400
    assert "Baris 2: jenis “y” tidak dikenal" in page.content.decode()
    assert not Post.objects.exists()
    auditor = login(officers["auditor"])
    upload = SimpleUploadedFile("rencana.csv", _csv([]))
    assert auditor.post("/posko/publikasi/impor/", {"file": upload}).status_code == 403


@pytest.mark.django_db
def test_duplicate_and_same_hour_warnings_do_not_block(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    operator = officers["operator"]
    at = timezone.localtime() + timedelta(days=2)
    at = at.replace(minute=10, second=0, microsecond=0)
    text = "Waspada penipuan mengatasnamakan polisi. Jangan transfer uang!"
    first = do_create_post(
        polres,
        Draft(kind="imbauan", text=text, accounts=[accounts["facebook"]], publish_at=at),
        acting_user=operator.user,
    )
    near = "Waspada penipuan mengatasnamakan polisi, jangan transfer uang."
    assert len(duplicate_warnings(polres, near, around=at)) == 1
    assert duplicate_warnings(polres, "Ronda malam di Gantung dimulai Sabtu.", around=at) == []
    same_hour = at.replace(minute=50)
    assert len(conflict_warnings([accounts["facebook"].pk], same_hour)) == 1
    assert conflict_warnings([accounts["x"].pk], same_hour) == []
    assert conflict_warnings([accounts["facebook"].pk], at + timedelta(hours=1)) == []
    second = do_create_post(
        polres,
        Draft(kind="imbauan", text=near, accounts=[accounts["facebook"]], publish_at=same_hour),
        acting_user=operator.user,
    )
    page = login(operator).get(f"/posko/publikasi/{second.pk}/").content.decode()
    assert 'data-testid="schedule-warnings"' in page
    assert f"#{first.pk}" in page and "pada jam yang sama" in page and "hampir sama" in page
    edit = login(operator).get(f"/posko/publikasi/{second.pk}/ubah/").content.decode()
    assert 'data-testid="schedule-warnings"' in edit


@pytest.mark.django_db
def test_comments_under_a_published_post_show_on_its_page(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    operator = officers["operator"]
    post = do_create_post(
        polres,
        Draft(
            kind="imbauan",
            text="Imbauan mudik aman",
            accounts=[accounts["facebook"], accounts["instagram"]],
        ),
        acting_user=operator.user,
    )
    fb = post.targets.get(platform="facebook")
    ig = post.targets.get(platform="instagram")
    PostTarget.objects.filter(pk=fb.pk).update(status=TargetStatus.PUBLISHED, external_id="111_222")
    PostTarget.objects.filter(pk=ig.pk).update(
        status=TargetStatus.PUBLISHED, external_id="17900001"
    )
    contact = Contact.objects.create(display_name="Warga")

    def comment(account: ChannelAccount, key: str, value: str, text: str) -> None:
        identity, _created = ContactIdentity.objects.get_or_create(
            contact=contact,
            platform=account.platform,
            external_id=f"u-{account.platform}",
            defaults={"display_name": "Budi"},
        )
        ChannelMessage.objects.create(
            account=account,
            external_id=f"c-{text}",
            identity=identity,
            kind="comment",
            text=text,
            data={key: value},
        )

    comment(accounts["facebook"], "post_id", "111_222", "Terima kasih infonya")
    comment(accounts["instagram"], "media_id", "17900001", "Mantap Pak")
    comment(accounts["facebook"], "post_id", "111_999", "Komentar posting lain")
    comment(accounts["instagram"], "media_id", "111_222", "Id sama, akun lain")
    page = login(operator).get(f"/posko/publikasi/{post.pk}/").content.decode()
    assert 'data-testid="post-comments"' in page
    assert "Terima kasih infonya" in page and "Mantap Pak" in page
    assert "Komentar posting lain" not in page and "Id sama, akun lain" not in page


@pytest.mark.django_db
def test_traffic_map_is_rendered_and_attached_within_platform_limits(
    officers: dict[str, Officer], polres: Unit, accounts: dict[str, ChannelAccount]
) -> None:
    operator = officers["operator"]
    post = do_create_post(
        polres,
        Draft(
            kind="info_lalu_lintas",
            text="Jl. Sudirman ditutup Sabtu pagi. Gunakan Jl. Lintas Timur.",
            accounts=list(accounts.values()),
            fields={
                "road": "Jl. Sudirman, Manggar",
                "time_from": "Sabtu 07.00",
                "alternative_route": "Jl. Lintas Timur",
            },
        ),
        acting_user=operator.user,
    )
    response = login(operator).post(f"/posko/publikasi/peta/{post.pk}/")
    assert response.status_code == 302
    media = post.media.get()
    assert media.content_type == "image/jpeg" and (media.width, media.height) == (1080, 1080)
    with media.file.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "JPEG" and image.size == (1080, 1080)
        # The closed road is drawn in red across the middle.
        red = image.convert("RGB").getpixel((540, 545))
        assert isinstance(red, tuple) and red[0] > 150 and red[1] < 100
    for platform in ("facebook", "instagram", "x", "telegram"):
        assert validate_variant(platform, post.text, photos_of(post)) == []
    assert AuditEvent.objects.filter(action="post_map_attached").count() == 1
    education = do_create_post(
        polres,
        Draft(kind="kampanye_edukasi", text="Edukasi", accounts=[accounts["facebook"]]),
        acting_user=operator.user,
    )
    with pytest.raises(PostError):
        do_attach_traffic_map(education, acting_user=operator.user)
