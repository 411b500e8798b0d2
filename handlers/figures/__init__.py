"""Province figures: targets, the `/thongke` screen with drill-down, charts, the Excel
report and its monthly message."""

from handlers.engine.feature import Feature
from handlers.figures import monthly, screen
from handlers.figures import targets as _targets  # noqa: F401  (adds the target step)

FIGURES = Feature(
    name="figures",
    flows=(screen.flow,),
    reminder_rules=(monthly.monthly_figures,),
)
