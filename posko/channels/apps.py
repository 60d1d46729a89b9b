from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "posko.channels"
    label = "channels"
    verbose_name = "Kanal"
