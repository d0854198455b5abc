"""Orders expire: each shop sets the time to pay a transfer and to answer a new order; each order carries
its deadlines. Orders already waiting get them from the defaults (7 days from placing, 48 hours from
confirming), so the first run of market_expire_orders clears what has waited longer."""

from datetime import timedelta

import django.core.validators
from django.db import migrations, models
from django.db.models import F


def fill_deadlines(apps, schema_editor):
    # The defaults written out, so that later changes to the model do not change what this migration did.
    Order = apps.get_model("market", "Order")
    Order.objects.filter(status="placed").update(answer_by=F("placed_at") + timedelta(days=7))
    Order.objects.filter(status="confirmed", payment="vietqr", confirmed_at__isnull=False).update(
        pay_by=F("confirmed_at") + timedelta(hours=48)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("market", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="answer_by",
            field=models.DateTimeField(blank=True, null=True, verbose_name="to be answered by"),
        ),
        migrations.AddField(
            model_name="order",
            name="pay_by",
            field=models.DateTimeField(blank=True, null=True, verbose_name="to be paid by"),
        ),
        migrations.AddField(
            model_name="shop",
            name="answer_within_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="An order neither confirmed nor cancelled this many days after it was placed is cancelled, "
                "and the buyer told. Applies to orders placed from now on.",
                validators=[
                    django.core.validators.MinValueValidator(1, message="Give a number of days from 1 to 30."),
                    django.core.validators.MaxValueValidator(30, message="Give a number of days from 1 to 30."),
                ],
                verbose_name="days to answer a new order",
            ),
        ),
        migrations.AddField(
            model_name="shop",
            name="pay_within_hours",
            field=models.PositiveSmallIntegerField(
                default=48,
                help_text="A bank-transfer order not paid this many hours after its confirmation is cancelled, and "
                "its products go back on sale. Applies to orders confirmed from now on.",
                validators=[
                    django.core.validators.MinValueValidator(
                        1, message="Give a number of hours from 1 to 720 (30 days)."
                    ),
                    django.core.validators.MaxValueValidator(
                        720, message="Give a number of hours from 1 to 720 (30 days)."
                    ),
                ],
                verbose_name="hours to pay a bank transfer",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["status", "answer_by"], name="market_orde_status_bf2c5b_idx"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["status", "pay_by"], name="market_orde_status_30862d_idx"),
        ),
        migrations.AddConstraint(
            model_name="shop",
            constraint=models.CheckConstraint(
                condition=models.Q(("pay_within_hours__range", (1, 720))), name="shop_pay_within_hours_range"
            ),
        ),
        migrations.AddConstraint(
            model_name="shop",
            constraint=models.CheckConstraint(
                condition=models.Q(("answer_within_days__range", (1, 30))), name="shop_answer_within_days_range"
            ),
        ),
        migrations.RunPython(fill_deadlines, migrations.RunPython.noop, elidable=True),
    ]
