from smartcommune.accounts import demo as accounts_demo
from smartcommune.criteria import demo, evaluation
from smartcommune.criteria.models import Assessment, CriteriaSet
from smartcommune.places import demo as places_demo
from smartcommune.registry import demo as registry_demo


def test_the_demo_gives_a_believable_picture_and_runs_twice(places):
    commune = places_demo.run(log=lambda m: None)
    registry_demo.run(commune=commune, log=lambda m: None, households=1200)
    accounts_demo.run(commune=commune, password="demo-pass-123", log=lambda m: None)
    demo.run(commune=commune, log=lambda m: None)
    demo.run(commune=commune, log=lambda m: None)  # a second run changes nothing
    criteria_set = CriteriaSet.objects.get(code=demo.SET_CODE)
    result = evaluation.evaluate(commune, criteria_set, 2025)
    assert result.count(evaluation.MET) >= 14 and result.count(evaluation.UNMET) >= 1
    latrines = next(i for i in result.indicators if i.indicator.code == "17.6")
    assert {v.village.code for v in latrines.blocking_villages} == {"NP03", "NP04"}
    assert Assessment.objects.get(commune=commune, year=2024).status == Assessment.Status.APPROVED
