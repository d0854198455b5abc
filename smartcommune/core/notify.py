"""Notifications to people (report updates, orders, reminders) through pluggable channels.

A channel is any class with `name` and `send(message) -> bool`; settings.NOTIFY_CHANNELS lists the
ones in use. E-mail goes through Django's e-mail backend (console by default). SMS and Zalo OA
messages have the same shape; the console channel stands in for them until a provider is contracted.
Phone numbers and e-mail addresses are never written to logs: only masked forms are.
"""

import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("smartcommune.notify")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    email: str = ""
    phone: str = ""
    url: str = ""


def mask(value: str) -> str:
    if "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{value[:3]}****{value[-2:]}" if len(value) > 5 else "***"


class EmailChannel:
    name = "email"

    def send(self, message: Message) -> bool:
        if not message.email:
            return False
        body = f"{message.body}\n\n{message.url}" if message.url else message.body
        send_mail(message.subject, body, settings.DEFAULT_FROM_EMAIL, [message.email], fail_silently=False)
        return True


class ConsoleSmsChannel:
    """Stands in for an SMS or Zalo OA provider: writes the message, with the number masked, to the log."""

    name = "sms-console"

    def send(self, message: Message) -> bool:
        if not message.phone:
            return False
        logger.info("SMS to %s: %s %s", mask(message.phone), message.subject, message.url)
        return True


@cache
def channels() -> list:
    return [import_string(path)() for path in settings.NOTIFY_CHANNELS]


def send(message: Message) -> list[str]:
    """Send through every channel that can reach the person; returns the channels used.

    A failing channel is logged and skipped: a notification never breaks the action that caused it."""
    used = []
    for channel in channels():
        try:
            if channel.send(message):
                used.append(channel.name)
        except Exception:  # one provider's outage must not stop the others
            logger.exception("notification channel %s failed", channel.name)
    return used
