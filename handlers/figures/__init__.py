"""Province figures: targets, the `/thongke` screen with drill-down, charts, the Excel
report and its monthly message."""

from handlers.engine.feature import Feature
from handlers.figures import monthly, screen, targets

assert targets.save_target  # registers the target step on the screen's flow

FIGURES = Feature(
    name="figures",
    flows=(screen.flow,),
    reminder_rules=(monthly.monthly_figures,),
)
