from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "posko.channels"
    label = "channels"
    verbose_name = "Kanal"

    def ready(self) -> None:
        from posko.channels.subscribers import connect

        connect()
