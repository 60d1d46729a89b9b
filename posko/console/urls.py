from django.contrib.auth import views as auth_views
from django.urls import include, path

import posko.core.limits  # noqa: F401 - registers the <id:…> converter
from posko.console import channel_views as channels
from posko.console import pwa, settings, triage, two_factor, views, work_settings
from posko.console import tools_views as tools
from posko.console import training_views as training
from posko.console import workbench_views as workbench

app_name = "console"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("masuk/verifikasi/", two_factor.verify, name="two_factor"),
    path("masuk/aktifkan-2fa/", two_factor.enrol, name="two_factor_enrol"),
    path("masuk/kode-pemulihan/", two_factor.recovery_codes, name="recovery_codes"),
    path("", views.inbox, name="inbox"),
    path("tugas-saya/", views.my_tasks, name="my_tasks"),
    path("perubahan/", views.inbox_stamp, name="inbox_stamp"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("aduan/baru/", views.intake, name="intake"),
    path("aduan/<str:code>/", views.aduan_detail, name="aduan_detail"),
    path("aduan/<str:code>/balas/", views.reply, name="reply"),
    path("aduan/<str:code>/cek-balasan/", views.reply_check, name="reply_check"),
    path("aduan/<str:code>/status/", views.change_status, name="change_status"),
    path("aduan/<str:code>/tugaskan/", views.assign, name="assign"),
    path("aduan/<str:code>/label/", views.correct_labels, name="correct_labels"),
    path("aduan/<str:code>/diadukan/", views.set_subject, name="set_subject"),
    path("aduan/<str:code>/foto/<id:photo_id>/", views.photo, name="photo"),
    path("aduan/<str:code>/gabung/", triage.aduan_join, name="aduan_join"),
    path("aduan/<str:code>/pisah/", triage.aduan_split, name="aduan_split"),
    path("insiden/<id:incident_id>/", triage.incident_detail, name="incident"),
    path("insiden/<id:incident_id>/gabung/", triage.incident_merge, name="incident_merge"),
    path("landmark/", triage.landmarks, name="landmarks"),
    path("triase/", triage.triage_models, name="triage_models"),
    path("administrasi/", settings.administration, name="administration"),
    path("pengaturan/sla/", settings.sla_settings, name="sla_settings"),
    path(
        "pengaturan/penugasan/",
        work_settings.assignment_settings,
        name="assignment_settings",
    ),
    path(
        "pengaturan/penugasan/cuti/<id:pk>/",
        work_settings.officer_leave,
        name="officer_leave",
    ),
    path(
        "pengaturan/persetujuan-balasan/",
        work_settings.reply_policy_settings,
        name="reply_policy_settings",
    ),
    path("landmark/<id:landmark_id>/hapus/", triage.landmark_delete, name="landmark_delete"),
    path(
        "aduan/<str:code>/kirim-ulang/<id:message_id>/",
        channels.retry_delivery,
        name="retry_delivery",
    ),
    path("latihan/", training.training, name="training"),
    path("latihan/rekap/", training.training_records, name="training_records"),
    path("latihan/<id:pk>/", training.training_exercise, name="training_exercise"),
    path("balasan-siap/", workbench.canned_replies, name="canned_replies"),
    path("balasan-siap/<id:pk>/", workbench.canned_replies, name="canned_reply_edit"),
    path("balasan-siap/<id:pk>/hapus/", workbench.canned_reply_delete, name="canned_reply_delete"),
    path("massal/", tools.bulk, name="bulk"),
    path("tampilan/", tools.save_view, name="save_view"),
    path("tampilan/<id:pk>/hapus/", tools.delete_view, name="delete_view"),
    path("makro/", tools.macros, name="macros"),
    path("makro/<id:pk>/", tools.macros, name="macro_edit"),
    path("makro/<id:pk>/hapus/", tools.macro_delete, name="macro_delete"),
    path("aduan/<str:code>/makro/", tools.apply_macro, name="apply_macro"),
    path("persetujuan/", tools.approvals, name="approvals"),
    path("persetujuan/<id:pk>/", tools.review_draft, name="review_draft"),
    path("persetujuan/<id:pk>/kirim/", tools.send_draft, name="send_draft"),
    path("cuti/", tools.leave, name="leave"),
    path("moderasi/", channels.moderation, name="moderation"),
    path("moderasi/<id:pk>/<slug:action>/", channels.moderation_action, name="moderation_action"),
    path("kanal/akun/", channels.accounts, name="channel_accounts"),
    path("kanal/akun/baru/", channels.account_new, name="channel_account_new"),
    path("kanal/akun/<id:pk>/", channels.account_edit, name="channel_account_edit"),
    path("kanal/akun/<id:pk>/aktif/", channels.account_toggle, name="channel_account_toggle"),
    path("kanal/templat/", channels.notice_templates, name="notice_templates"),
    path("publikasi/", include("posko.console.publishing_urls")),
    path("komunitas/", include("posko.console.community_urls")),
]
