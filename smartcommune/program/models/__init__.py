"""The programme's models, one module per area: plans and targets, tasks, budget, training, infrastructure."""

from .budget import Allocation, BudgetLine, Disbursement, FundingSource, Settlement, SpendingCategory
from .infrastructure import Asset, ChecklistTick, Coverage, DigitalTeam, DigitalTeamMember, SocialChannel
from .plans import Comparator, Objective, Plan, Target, TargetFigure
from .tasks import Milestone, Reminder, Task, TaskComment, UnitKind
from .training import Attendance, Audience, Channel, Material, OutreachActivity, Topic, TrainingClass

__all__ = [
    "Allocation",
    "Asset",
    "Attendance",
    "Audience",
    "BudgetLine",
    "Channel",
    "ChecklistTick",
    "Comparator",
    "Coverage",
    "DigitalTeam",
    "DigitalTeamMember",
    "Disbursement",
    "FundingSource",
    "Material",
    "Milestone",
    "Objective",
    "OutreachActivity",
    "Plan",
    "Reminder",
    "Settlement",
    "SocialChannel",
    "SpendingCategory",
    "Target",
    "TargetFigure",
    "Task",
    "TaskComment",
    "Topic",
    "TrainingClass",
    "UnitKind",
]
