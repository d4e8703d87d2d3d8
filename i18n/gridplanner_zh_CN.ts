<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>GridPlanner</name>
    <message>
        <location filename="../grid_plugin/gui/main.py" line="29"/>
        <source>&amp;Grid Planner</source>
        <translation>网格规划(&amp;G)</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="64"/>
        <source>Could not apply the style {name}: {reason}</source>
        <translation>无法应用样式 {name}：{reason}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/plugin.py" line="39"/>
        <source>Grid Planner</source>
        <translation>网格规划</translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="35"/>
        <source>Grid Planner (网格规划)</source>
        <translation>网格规划</translation>
    </message>
    <message>
        <location filename="../processing/provider.py" line="39"/>
        <source>Grid Planner (网格规划) — management grid design</source>
        <translation>网格规划 — 网格化管理的网格设计</translation>
    </message>
    <message>
        <location filename="../grid_plugin/deps.py" line="68"/>
        <source>Grid Planner needs Python packages that this QGIS cannot import: {found}. Install them with:

{command}

then restart QGIS.</source>
        <translation>网格规划需要的 Python 包在此 QGIS 中无法导入：{found}。请用以下命令安装：

{command}

然后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../processing/base.py" line="86"/>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/plugin.py" line="40"/>
        <source>Missing Python packages; see the log (Grid Planner tab) for the install command.</source>
        <translation>缺少 Python 包；安装命令见日志（网格规划 标签页）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/errors.py" line="48"/>
        <source>The run was cancelled; nothing was written.</source>
        <translation>运行已取消，未写入任何内容。</translation>
    </message>
</context>
</TS>
