from cuda2cann.validate.soc import profiles, soc_profile


def test_profiles_match_the_reference_table():
    b2 = soc_profile("Ascend910B2")
    assert (b2.arch, b2.vector_cores, b2.ub_bytes) == (2201, 48, 196608)
    assert b2.ub_usable == 196608 - 256 - 8192
    assert soc_profile("Ascend910B3").vector_cores == 40
    assert soc_profile("Ascend950PR_9599").vector_cores == 72
    assert len(profiles()) == 8


def test_unknown_soc_lists_known_ones():
    import pytest
    with pytest.raises(KeyError, match="Ascend910B1"):
        soc_profile("Ascend310P3")
