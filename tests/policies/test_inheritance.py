"""The inheritance graph: sets side by side, upload order, missing bases, cycles, tenants."""

from __future__ import annotations

from b2c_tui.policies.inheritance import InheritanceGraph
from b2c_tui.policies.local import load_local
from b2c_tui.policies.model import Policy, PolicyKind
from b2c_tui.policies.parser import parse_policy
from tests.helpers.policies import STARTER

NS = "http://schemas.microsoft.com/online/cpim/schemas/2013/06"


def make(policy_id: str, base: str | None = None, *, tenant: str = "contoso.onmicrosoft.com",
         uri: str | None = None, rp: bool = False) -> Policy:
    head = f'<TrustFrameworkPolicy xmlns="{NS}" TenantId="{tenant}" PolicyId="{policy_id}"'
    head += f' PublicPolicyUri="{uri}">' if uri else ">"
    body = ""
    if base:
        body += (f"<BasePolicy><TenantId>{tenant}</TenantId><PolicyId>{base}</PolicyId>"
                 "</BasePolicy>")
    if rp:
        body += '<RelyingParty><DefaultUserJourney ReferenceId="J"/></RelyingParty>'
    return parse_policy(f"{head}{body}</TrustFrameworkPolicy>", f"{policy_id}.xml")


def test_sets_side_by_side_with_their_upload_order() -> None:
    policies = [
        make("B2C_1A_Dev_signup", "B2C_1A_Dev_Ext", rp=True),
        make("B2C_1A_Dev_Ext", "B2C_1A_Dev_TrustFrameworkBase"),
        make("B2C_1A_Dev_TrustFrameworkBase"),
        make("B2C_1A_signup", "B2C_1A_Ext", rp=True),
        make("B2C_1A_Ext", "B2C_1A_TrustFrameworkBase"),
        make("B2C_1A_TrustFrameworkBase"),
    ]
    graph = InheritanceGraph(policies)
    sets = graph.sets()
    assert [(s.name, s.policy_ids) for s in sets] == [
        ("B2C_1A_", ("B2C_1A_TrustFrameworkBase", "B2C_1A_Ext", "B2C_1A_signup")),
        ("B2C_1A_Dev_", ("B2C_1A_Dev_TrustFrameworkBase", "B2C_1A_Dev_Ext",
                         "B2C_1A_Dev_signup")),
    ]
    assert graph.problems == []
    rows = graph.tree()
    assert [(r.policy_id, r.depth) for r in rows[:3]] == [
        ("B2C_1A_TrustFrameworkBase", 0), ("B2C_1A_Ext", 1), ("B2C_1A_signup", 2)]


def test_upload_order_of_a_starter_pack_puts_bases_first() -> None:
    graph = InheritanceGraph(load_local(STARTER / "SocialAndLocalAccounts").policies)
    order = graph.upload_order()
    assert order[:3] == ["B2C_1A_TrustFrameworkBase", "B2C_1A_TrustFrameworkLocalization",
                         "B2C_1A_TrustFrameworkExtensions"]
    assert {graph.get(p).kind for p in order[3:]} == {PolicyKind.RELYING_PARTY}  # type: ignore[union-attr]
    for policy_id in order:
        base = graph.base_of(policy_id)
        assert base is None or order.index(base.policy_id) < order.index(policy_id)


def test_a_missing_base_is_flagged_unless_the_tenant_has_it() -> None:
    policies = [make("B2C_1A_signup", "B2C_1A_Ext", rp=True)]
    problems = InheritanceGraph(policies).problems
    assert [(p.rule, p.policy_id) for p in problems] == [("base-missing", "B2C_1A_signup")]
    assert problems[0].location is not None and problems[0].location.line == 1
    assert InheritanceGraph(policies, known_ids=["b2c_1a_ext"]).problems == []


def test_a_cycle_is_flagged_and_left_out_of_the_order() -> None:
    policies = [make("B2C_1A_A", "B2C_1A_B"), make("B2C_1A_B", "B2C_1A_C"),
                make("B2C_1A_C", "B2C_1A_A"), make("B2C_1A_Root")]
    graph = InheritanceGraph(policies)
    cycles = [p for p in graph.problems if p.rule == "base-cycle"]
    assert {p.policy_id for p in cycles} == {"B2C_1A_A", "B2C_1A_B", "B2C_1A_C"}
    assert "B2C_1A_A -> B2C_1A_B -> B2C_1A_C -> B2C_1A_A" in cycles[0].message
    assert graph.upload_order() == ["B2C_1A_Root"]
    assert {r.policy_id for r in graph.tree()} == {p.policy_id for p in policies}


def test_another_tenant_is_flagged_in_tenant_id_base_and_public_uri() -> None:
    policies = [
        make("B2C_1A_Base", tenant="fabrikam.onmicrosoft.com",
             uri="http://fabrikam.onmicrosoft.com/B2C_1A_Base"),
        make("B2C_1A_Ok", uri="http://contoso.onmicrosoft.com/B2C_1A_Ok"),
    ]
    problems = InheritanceGraph(policies, tenant="Contoso.onmicrosoft.com").problems
    assert [(p.rule, p.policy_id) for p in problems] == [
        ("tenant-mismatch", "B2C_1A_Base"), ("tenant-mismatch", "B2C_1A_Base")]
    assert "fabrikam.onmicrosoft.com" in problems[0].message


def test_two_policies_with_one_id_are_kept_as_duplicates() -> None:
    first, second = make("B2C_1A_X"), make("b2c_1a_x")
    graph = InheritanceGraph([first, second])
    assert len(graph) == 1 and graph.duplicates["b2c_1a_x"] == [first, second]


def test_descendants_and_family() -> None:
    graph = InheritanceGraph([make("B2C_1A_TrustFrameworkBase"),
                              make("B2C_1A_Ext", "B2C_1A_TrustFrameworkBase"),
                              make("B2C_1A_RP1", "B2C_1A_Ext", rp=True),
                              make("B2C_1A_RP2", "B2C_1A_Ext", rp=True)])
    assert [p.policy_id for p in graph.descendants("b2c_1a_trustframeworkbase")] == [
        "B2C_1A_Ext", "B2C_1A_RP1", "B2C_1A_RP2"]
    assert len(graph.family("B2C_1A_RP2")) == 4
    assert [p.policy_id for p in graph.chain("B2C_1A_RP1")] == [
        "B2C_1A_RP1", "B2C_1A_Ext", "B2C_1A_TrustFrameworkBase"]
