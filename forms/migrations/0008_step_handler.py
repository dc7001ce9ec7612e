"""Who holds a case now, as columns of the application (step kind, group,
pre-review district, departments still to answer), and the same for the cases
already under way.

The rule that fills them is frozen here as it stood when this migration was
written (forms.casework.workflow.step_handler), so later changes to the code
never change what this migration does.
"""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

IN_REVIEW = ("submitted", "supplement")
BATCH = 500


def step_columns(application, open_departments):
    """(kind, group id, district id, department ids) of the current step."""
    workflow = application.workflow or []
    if application.status not in IN_REVIEW or application.step_index >= len(
        workflow
    ):
        return "", None, None, []
    step = workflow[application.step_index]
    kind = step["kind"]
    group_id = step.get("group_id") or None
    if kind == "prereview":
        return kind, group_id, application.district_id, []
    if kind == "department":
        return kind, None, None, sorted(open_departments)
    if kind == "publicity":
        return kind, None, None, []
    return kind, group_id, None, []


def fill_step_columns(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    DepartmentTask = apps.get_model("applications", "DepartmentTask")
    through = Application.step_departments.through
    cases = Application.objects.filter(status__in=IN_REVIEW).only(
        "pk", "status", "workflow", "step_index", "district_id"
    )
    batch = []
    for application in cases.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(application)
        if len(batch) == BATCH:
            _fill(batch, DepartmentTask, Application, through)
            batch = []
    if batch:
        _fill(batch, DepartmentTask, Application, through)


def _fill(batch, DepartmentTask, Application, through):
    open_departments = defaultdict(list)
    for application_id, index, department_id in DepartmentTask.objects.filter(
        application_id__in=[case.pk for case in batch], answered_at__isnull=True
    ).values_list("application_id", "step_index", "department_id"):
        open_departments[application_id, index].append(department_id)
    links = []
    for case in batch:
        kind, group_id, district_id, departments = step_columns(
            case, open_departments.get((case.pk, case.step_index), [])
        )
        case.step_kind = kind
        case.step_group_id = group_id
        case.step_district_id = district_id
        links += [
            through(application_id=case.pk, department_id=department_id)
            for department_id in departments
        ]
    Application.objects.bulk_update(
        batch, ["step_kind", "step_group_id", "step_district"]
    )
    through.objects.bulk_create(links)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_merge_parallel_work"),
        ("departments", "0003_unit_casework_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="step_departments",
            field=models.ManyToManyField(
                blank=True,
                editable=False,
                related_name="+",
                to="departments.department",
                verbose_name="departments holding the case",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="step_district",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="departments.district",
                verbose_name="pre-review district",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="step_group_id",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="application",
            name="step_kind",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=20,
                verbose_name="current step kind",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                fields=["status", "step_kind", "step_group_id"],
                name="applications_step_handler",
            ),
        ),
        migrations.RunPython(fill_step_columns, migrations.RunPython.noop),
    ]
