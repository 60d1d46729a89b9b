from django.urls import path

from posko.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("lapor/", views.lapor, name="lapor"),
    path("lapor/terkirim/", views.lapor_terkirim, name="lapor_terkirim"),
    path("lapor/<str:code>/tambah/<str:key>/", views.tambah_informasi, name="tambah_informasi"),
    path("lacak/", views.lacak, name="lacak"),
    path("lacak/<str:code>/", views.lacak_detail, name="lacak_detail"),
    path("kontak/", views.kontak, name="kontak"),
]
