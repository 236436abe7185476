# Toolchain settings of the MPS2 port (read by SConstruct, RT-Thread's building.py and
# packages such as rtt-mempool).
#
# One port for two of ARM's MPS2 FPGA images; which one is the Kconfig choice in rtconfig.h:
#   BSP_MPS2_AN385  Cortex-M3                          -mcpu=cortex-m3
#   BSP_MPS2_AN386  Cortex-M4 with FPv4-SP, hard float -mcpu=cortex-m4 -mfpu=fpv4-sp-d16
#                                                      -mfloat-abi=hard
# The environment variable MPS2_FPGA=an385|an386 overrides it (e.g. for a quick build
# before rtconfig.h exists); when both are given and differ, the build stops.
import os
import re

_here = os.path.dirname(os.path.abspath(__file__))


def _fpga_from_rtconfig():
    try:
        with open(os.path.join(_here, 'rtconfig.h'), 'r') as f:
            text = f.read()
    except (IOError, OSError):
        return None
    for name in ('an385', 'an386'):
        if re.search(r'^\s*#\s*define\s+BSP_MPS2_%s\b' % name.upper(), text, re.M):
            return name
    return None


FPGA = _fpga_from_rtconfig()
_env_fpga = (os.getenv('MPS2_FPGA') or '').strip().lower() or None
if _env_fpga is not None:
    if _env_fpga not in ('an385', 'an386'):
        raise SystemExit('rtconfig.py: MPS2_FPGA=%s: expected an385 or an386' % _env_fpga)
    if FPGA is not None and FPGA != _env_fpga:
        raise SystemExit('rtconfig.py: MPS2_FPGA=%s but rtconfig.h is configured for %s '
                         '(BSP_MPS2_%s); run menuconfig or unset MPS2_FPGA'
                         % (_env_fpga, FPGA, FPGA.upper()))
    FPGA = _env_fpga
FPGA = FPGA or 'an385'

ARCH = 'arm'
CPU = 'cortex-m4' if FPGA == 'an386' else 'cortex-m3'
CROSS_TOOL = 'gcc'
PLATFORM = 'gcc'
EXEC_PATH = os.getenv('RTT_EXEC_PATH') or '/usr/bin'
BUILD = os.getenv('MPS2_BUILD') or 'release'

PREFIX = os.getenv('RTT_CC_PREFIX') or 'arm-none-eabi-'
CC = PREFIX + 'gcc'
CXX = PREFIX + 'g++'
AS = PREFIX + 'gcc'
AR = PREFIX + 'ar'
LINK = PREFIX + 'gcc'
TARGET_EXT = 'elf'
SIZE = PREFIX + 'size'
OBJDUMP = PREFIX + 'objdump'
OBJCPY = PREFIX + 'objcopy'

if FPGA == 'an386':
    DEVICE = ' -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard'
else:
    DEVICE = ' -mcpu=cortex-m3 -mthumb'
DEVICE += ' -ffunction-sections -fdata-sections'

LINK_SCRIPT = 'link.lds'

CFLAGS = DEVICE + ' -Wall -std=gnu99'
CXXFLAGS = DEVICE + ' -Wall'
AFLAGS = ' -c' + DEVICE + ' -x assembler-with-cpp -Wa,-mimplicit-it=thumb'
LFLAGS = DEVICE + (' -Wl,--gc-sections,-Map=rtthread.map,-cref,-u,Reset_Handler,'
                   '-u,mps2_vectors -T ' + LINK_SCRIPT + ' --specs=nano.specs '
                   '--specs=nosys.specs -nostartfiles')
CPATH = ''
LPATH = ''

if BUILD == 'debug':
    CFLAGS += ' -O0 -gdwarf-2 -g'
    AFLAGS += ' -gdwarf-2'
else:
    CFLAGS += ' -O2 -g'
CXXFLAGS += ' -O2'

POST_ACTION = OBJCPY + ' -O binary $TARGET rtthread.bin\n' + SIZE + ' $TARGET\n'
