"""DeviceStringCodemod: device strings in device positions, and only there."""
from cuda2cann.frontend.python.device_strings import DeviceStringCodemod

from .helpers import assert_codemod


def test_torch_device_and_to():
    assert_codemod(DeviceStringCodemod, """
        import torch
        a = torch.device("cuda")
        b = torch.device("cuda", 0)
        c = torch.device('cuda:1')
        d = torch.device(type="cuda", index=0)
        e = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        x = x.to("cuda")
        x = x.to("cuda:1", non_blocking=True)
        x = x.to(device="cuda")
        """, """
        import torch
        a = torch.device("npu")
        b = torch.device("npu", 0)
        c = torch.device('npu:1')
        d = torch.device(type="npu", index=0)
        e = torch.device("npu" if torch.cuda.is_available() else "cpu")
        x = x.to("npu")
        x = x.to("npu:1", non_blocking=True)
        x = x.to(device="npu")
        """, changes=[(3, "C2C507"), (4, "C2C507"), (5, "C2C507"), (6, "C2C507"), (7, "C2C507"), (8, "C2C507"), (9, "C2C507"),
                      (10, "C2C507")])


def test_formatted_device_strings():
    assert_codemod(DeviceStringCodemod, """
        import torch
        a = torch.device(f"cuda:{rank}")
        b = x.to("cuda:%d" % rank)
        c = x.to("cuda:" + str(rank))
        d = x.to("cuda:{}".format(rank))
        """, """
        import torch
        a = torch.device(f"npu:{rank}")
        b = x.to("npu:%d" % rank)
        c = x.to("npu:" + str(rank))
        d = x.to("npu:{}".format(rank))
        """)


def test_map_location_and_factories():
    assert_codemod(DeviceStringCodemod, """
        import torch
        ckpt = torch.load(path, map_location="cuda:0")
        ckpt = torch.load(path, map_location={"cuda:%d" % 0: "cuda:%d" % rank})
        ckpt = torch.load(path, map_location=lambda storage, loc: storage)
        z = torch.zeros(3, device="cuda")
        g = torch.Generator("cuda")
        """, """
        import torch
        ckpt = torch.load(path, map_location="npu:0")
        ckpt = torch.load(path, map_location={"npu:%d" % 0: "npu:%d" % rank})
        ckpt = torch.load(path, map_location=lambda storage, loc: storage)
        z = torch.zeros(3, device="npu")
        g = torch.Generator("npu")
        """)


def test_autocast_and_grad_scaler():
    assert_codemod(DeviceStringCodemod, """
        import torch
        from torch.amp import GradScaler
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16):
            pass
        with torch.amp.autocast("cuda"):
            pass
        scaler = GradScaler("cuda")
        scaler = torch.amp.GradScaler(device="cuda")
        """, """
        import torch
        from torch.amp import GradScaler
        with torch.autocast(device_type="npu", dtype=torch.bfloat16):
            pass
        with torch.amp.autocast("npu"):
            pass
        scaler = GradScaler("npu")
        scaler = torch.amp.GradScaler(device="npu")
        """)


def test_device_named_assignments_parameters_and_argparse():
    assert_codemod(DeviceStringCodemod, """
        DEVICE = "cuda"
        self.device = "cuda:0" if ok else "cpu"
        cfg["device"] = args.device or "cuda"
        devices: list = ["cuda:0", "cuda:1"]
        config = {"device": "cuda", "name": "cuda"}
        def train(model, device="cuda", name="cuda"):
            pass
        parser.add_argument("--device", type=str, default="cuda", choices=["cuda", "cpu"])
        parser.add_argument("--name", default="cuda")
        """, """
        DEVICE = "npu"
        self.device = "npu:0" if ok else "cpu"
        cfg["device"] = args.device or "npu"
        devices: list = ["npu:0", "npu:1"]
        config = {"device": "npu", "name": "cuda"}
        def train(model, device="npu", name="cuda"):
            pass
        parser.add_argument("--device", type=str, default="npu", choices=["npu", "cpu"])
        parser.add_argument("--name", default="cuda")
        """)


def test_names_in_device_positions_are_followed_to_their_literals():
    # the ImageNet-example idiom: the location string lives in a variable that is not named like a device
    assert_codemod(DeviceStringCodemod, """
        import torch
        def resume(args, path, target="cuda:0"):
            loc = 'cuda:{}'.format(args.gpu)
            checkpoint = torch.load(path, map_location=loc)
            x = torch.zeros(2).to(target)
            name = "cuda"
            print(name)
            kind = "cuda"
            return kind == other
        """, """
        import torch
        def resume(args, path, target="npu:0"):
            loc = 'npu:{}'.format(args.gpu)
            checkpoint = torch.load(path, map_location=loc)
            x = torch.zeros(2).to(target)
            name = "cuda"
            print(name)
            kind = "cuda"
            return kind == other
        """, changes=[(3, "C2C507"), (4, "C2C507")])


def test_comparisons():
    assert_codemod(DeviceStringCodemod, """
        if x.device.type == "cuda" or args.device != 'cuda':
            pass
        if "cuda" in str(device) and device.type in ("cuda", "cpu"):
            pass
        if str(device).startswith("cuda"):
            pass
        """, """
        if x.device.type == "npu" or args.device != 'npu':
            pass
        if "npu" in str(device) and device.type in ("npu", "cpu"):
            pass
        if str(device).startswith("npu"):
            pass
        """)


def test_strings_that_are_not_devices_stay():
    before = '''
        """Train on cuda."""
        import torch
        print("cuda")
        logger.info(f"cuda:{rank} ready")
        name = "cuda"
        x = x.to(torch.float16)
        msg = "using " + "cuda:0"
        path = "models/cuda/x.pt"
        x = x.to("cudax")
        torch.device(b"cuda")
        torch.device("\\x63uda")
        '''
    assert_codemod(DeviceStringCodemod, before, before, changes=[])


def test_suppression():
    before = """
        x = x.to("cuda")  # cuda2cann: ignore[C2C507]
        y = y.to("cuda")  # cuda2cann: ignore[C2C506]
        """
    assert_codemod(DeviceStringCodemod, before, before.replace('y.to("cuda")', 'y.to("npu")'), changes=[(3, "C2C507")])
