from django.urls import path

from .views import budget, infrastructure, plans, reports, tasks, training

app_name = "program"

C = "<str:commune_code>"

urlpatterns = [
    path(f"{C}/", plans.home, name="home"),
    path(f"{C}/ke-hoach/", plans.plan_list, name="plans"),
    path(f"{C}/ke-hoach/them/", plans.plan_edit, name="plan_create"),
    path(f"{C}/ke-hoach/<int:plan_id>/", plans.plan_detail, name="plan"),
    path(f"{C}/ke-hoach/<int:plan_id>/sua/", plans.plan_edit, name="plan_edit"),
    path(f"{C}/ke-hoach/<int:plan_id>/muc-tieu/them/", plans.objective_edit, name="objective_create"),
    path(f"{C}/muc-tieu/<int:objective_id>/sua/", plans.objective_edit, name="objective_edit"),
    path(f"{C}/muc-tieu/<int:objective_id>/chi-tieu/them/", plans.target_edit, name="target_create"),
    path(f"{C}/chi-tieu/<int:target_id>/", plans.target_detail, name="target"),
    path(f"{C}/chi-tieu/<int:target_id>/sua/", plans.target_edit, name="target_edit"),
    path(f"{C}/nhiem-vu/", tasks.task_list, name="tasks"),
    path(f"{C}/nhiem-vu/cua-don-vi/", tasks.my_tasks, name="my_tasks"),
    path(f"{C}/nhiem-vu/qua-han/", tasks.overdue, name="overdue"),
    path(f"{C}/nhiem-vu/them/", tasks.task_edit, name="task_create"),
    path(f"{C}/nhiem-vu/<int:task_id>/", tasks.task_detail, name="task"),
    path(f"{C}/nhiem-vu/<int:task_id>/sua/", tasks.task_edit, name="task_edit"),
    path(f"{C}/nhiem-vu/<int:task_id>/cap-nhat/", tasks.task_update, name="task_update"),
    path(f"{C}/nhiem-vu/<int:task_id>/y-kien/", tasks.task_comment, name="task_comment"),
    path(f"{C}/ngan-sach/", budget.overview, name="budget"),
    path(f"{C}/ngan-sach/them/", budget.line_create, name="line_create"),
    path(f"{C}/ngan-sach/dong/<int:line_id>/", budget.line_detail, name="line"),
    path(f"{C}/ngan-sach/dong/<int:line_id>/phan-bo/", budget.allocate, name="allocate"),
    path(f"{C}/ngan-sach/dong/<int:line_id>/giai-ngan/", budget.disburse, name="disburse"),
    path(f"{C}/ngan-sach/dong/<int:line_id>/quyet-toan/", budget.settle, name="settle"),
    path(f"{C}/ngan-sach/<int:year>/bao-cao-<str:layout>.xlsx", budget.report, name="budget_report"),
    path(f"{C}/dao-tao/", training.class_list, name="training"),
    path(f"{C}/dao-tao/them/", training.class_edit, name="class_create"),
    path(f"{C}/dao-tao/<int:class_id>/", training.class_detail, name="class"),
    path(f"{C}/dao-tao/<int:class_id>/sua/", training.class_edit, name="class_edit"),
    path(f"{C}/dao-tao/<int:class_id>/tham-du/", training.attendance_add, name="attendance"),
    path(f"{C}/dao-tao/<int:class_id>/tai-lieu/", training.material_add, name="material"),
    path(f"{C}/truyen-thong/", training.outreach, name="outreach"),
    path(f"{C}/ha-tang-so/", infrastructure.overview, name="infrastructure"),
    path(f"{C}/ha-tang-so/thiet-bi/them/", infrastructure.asset_edit, name="asset_create"),
    path(f"{C}/ha-tang-so/thiet-bi/<int:asset_id>/sua/", infrastructure.asset_edit, name="asset_edit"),
    path(f"{C}/ha-tang-so/phu-song/", infrastructure.coverage, name="coverage"),
    path(f"{C}/ha-tang-so/to-cong-nghe-so/", infrastructure.teams, name="teams"),
    path(f"{C}/ha-tang-so/to-cong-nghe-so/<int:team_id>/", infrastructure.team_detail, name="team"),
    path(f"{C}/ha-tang-so/kenh/", infrastructure.channels, name="channels"),
    path(f"{C}/ha-tang-so/thon/<str:village_code>/", infrastructure.village_checklist, name="village"),
    path(f"{C}/bao-cao-tien-do.<str:fmt>", reports.progress_report, name="progress_report"),
]
