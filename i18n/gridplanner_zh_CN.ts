<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>GridPlanner</name>
    <message>
        <location filename="../grid_plugin/gui/main.py"/>
        <source>&amp;Grid Planner</source>
        <translation>网格规划(&amp;G)</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/chart.py"/>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <location filename="../processing/incidentstats.py"/>
        <source>(no category)</source>
        <translation>（无类别）</translation>
    </message>
    <message>
        <location filename="../processing/deviation_style.py"/>
        <source>+{single}% … +{double}% (above the tolerance)</source>
        <translation>+{single}% … +{double}%（高于容差）</translation>
    </message>
    <message>
        <location filename="../processing/deviation_style.py"/>
        <source>&lt; −{double}% (far below the target)</source>
        <translation>&lt; −{double}%（远低于目标）</translation>
    </message>
    <message>
        <location filename="../processing/deviation_style.py"/>
        <source>&gt; +{double}% (far above the target)</source>
        <translation>&gt; +{double}%（远高于目标）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>A building inside the area lies in no grid.</source>
        <translation>规划区域内有一栋建筑不在任何网格内。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>A building is cut by the edge between grids {grids}.</source>
        <translation>一栋建筑被网格 {grids} 之间的边界切割。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>A layer of the panel was removed; choose the layers again.</source>
        <translation>面板使用的图层已被移除；请重新选择图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/graph.py"/>
        <source>A load or target is not a finite number (load {load}, target {target}); fix the loads and run again.</source>
        <translation>负荷或目标值不是有限数（负荷 {load}，目标 {target}）；请修正负荷后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>A parameter is not a finite number ({value}); enter a number.</source>
        <translation>有参数不是有限数（{value}）；请输入数字。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>A parent has {n} children, more than {digits} code digits allow; raise the digits of that level.</source>
        <translation>某个上级网格有 {n} 个下级网格，超出 {digits} 位编码所能容纳的数量；请增加该层级的编码位数。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/planner.py"/>
        <source>A piece of parent {parent} was to get {asked} grids but has only {units} units; it gets {units} grids (one per unit). Lower the target or add barriers to get more units.</source>
        <translation>上级单元 {parent} 的一个片区应划分 {asked} 个网格，但只有 {units} 个单元；现划为 {units} 个网格（每个单元一个）。请降低目标值或增加分隔线以得到更多单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>A time window was given but no date field; choose the field that holds the incident dates.</source>
        <translation>给出了时间范围但未选择日期字段；请选择记录事件日期的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>A total load of {total:,.0f} at a target of {target:g} per grid would make {grids:,.0f} grids (at most {limit:,.0f}); check the load field and the target.</source>
        <translation>总负荷 {total:,.0f} 按每格目标 {target:g} 将划出 {grids:,.0f} 个网格（上限 {limit:,.0f}）；请检查负荷字段和目标值。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/heatmap.py"/>
        <source>A {cell} m cell over this extent makes {cells} million cells; choose a larger cell size.</source>
        <translation>在此范围内使用 {cell} 米像元将产生 {cells} 百万个像元；请选择更大的像元大小。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Add a table of the grids</source>
        <translation>附网格一览表</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Adds households (户数, family households), collective_households (集体户, dormitories), households_source (survey or estimate) and household_rule (why) to a copy of a building layer. Where a households field is given, its numbers are used; empty, text or negative values are replaced by the estimate and counted in a warning. Otherwise households = round(footprint area x floors / floor area per household) for homes (at least 1 for a footprint of at least the minimum area), and 0 for other buildings. Which buildings are homes (rule 'evidence', the default): a building typed as housing (building_type residential: apartments, house, dormitory, farm …); an untyped building (building=yes) only without a sign of another use: no shop/amenity/office/craft/industrial tag (on the building, or a POI drawn on the same OSM feature), not inside commercial, industrial, institutional or crowded-place land use, no non-residential name (大厦 商场 广场 中心 馆 学校 学院 教学 食堂 医院 厂 公司 酒店 宾馆, mall, hotel …: grid_plugin/mappings/nonresidential_names.csv) and a footprint below the largest dwelling. Dormitories (宿舍, 公寓 on a campus) hold collective households by default. Rule 'convention' is the benchmark convention (every building=yes a home). Floors come from the levels field, else from the floors by building type, else the default floors — the same default classify uses. Totals by building type and by reason are written to the log.</source>
        <translation>在建筑图层副本上添加 households（户数，家庭户）、collective_households（集体户，宿舍）、households_source（户数来源：survey 调查或 estimate 估算）和 household_rule（户数依据）。给出户数字段时采用其数字；空值、文本或负数用估算值替代并在警告中计数。否则住房的户数 = round(占地面积 × 层数 ÷ 每户建筑面积)（占地不小于最小面积时至少 1 户），其他建筑为 0。哪些建筑是住房（默认规则“证据”）：类型为住房的建筑（building_type 为 residential：公寓楼、住宅、宿舍、农房……）；未标注类型的建筑（building=yes）只有在没有其他用途迹象时才算住房：建筑本身没有 shop/amenity/office/craft/industrial 标签（或同一 OSM 要素上的 POI），不在商业、工业、机关单位或人员密集场所用地内，名称不含非住宅词（大厦 商场 广场 中心 馆 学校 学院 教学 食堂 医院 厂 公司 酒店 宾馆、mall、hotel……：grid_plugin/mappings/nonresidential_names.csv），且占地小于最大住宅占地。宿舍（宿舍、校园内的公寓）默认计为集体户。规则“约定”为基准测试约定（每个 building=yes 都算住房）。层数取自层数字段，否则按建筑类型，否则用默认层数——与网格类型识别使用同一默认值。按建筑类型和按依据的合计写入日志。</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Administrative boundary name or OSM id (optional)</source>
        <translation>行政边界名称或 OSM 编号（可选）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/kde.py"/>
        <source>All {n} incidents are at one location, so no bandwidth can be derived; give a bandwidth in metres.</source>
        <translation>全部 {n} 个事件位于同一位置，无法自动确定带宽；请以米为单位给出带宽。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Also moved {n} units cut off from grid {grid}, to keep it in one piece.</source>
        <translation>为保持网格 {grid} 连片，一并移动了被切断的 {n} 个单元。</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Also print a PDF beside it</source>
        <translation>同时在旁边输出 PDF</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Area (each feature a community or village)</source>
        <translation>区域（每个要素为一个社区或村）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Area (ha)</source>
        <translation>面积（公顷）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Area (subdistrict, town or communities)</source>
        <translation>范围（街道、镇或社区）</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Area a grid may have in a second parent (m²)</source>
        <translation>网格在第二个上级单元内允许的面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Area boundary</source>
        <translation>辖区边界</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Area boundary (for 四至 on the outer edge)</source>
        <translation>区域边界（用于外缘一侧的四至）</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>As QGIS (locale)</source>
        <translation>跟随 QGIS 界面语言</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Assess grid plan (scorecard)</source>
        <translation>评估网格方案（评分表）</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <location filename="../processing/compareplans.py"/>
        <location filename="../processing/planreport.py"/>
        <location filename="../processing/validate.py"/>
        <source>Assess plans</source>
        <translation>方案评估</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <source>Assign grid codes</source>
        <translation>网格编码</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Atlas: one page per grid (PDF)</source>
        <translation>分网格图：每个网格一页（PDF）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Atomic units (for the editing panel; default: next to the grids)</source>
        <translation>基本单元（供网格编辑面板使用；默认与网格存于同一文件）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Attach to the adjacent village or residential grid</source>
        <translation>并入相邻的村庄或住宅网格</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Balance groups by this field (empty: load when present, else the grid count)</source>
        <translation>按此字段均衡分组（留空：有 load 字段时按其值，否则按网格数量）</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Balance: share of grids within tolerance to pass</source>
        <translation>均衡性：判定符合所需的容差内网格占比</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Bandwidth (radius) in metres (0: automatic)</source>
        <translation>带宽（半径，米；0 表示自动）</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Bandwidth used (m)</source>
        <translation>所用带宽（米）</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Bandwidth {bandwidth} m ({rule}), cell {cell} m, {kernel} kernel, {method} method.</source>
        <translation>带宽 {bandwidth} 米（{rule}），像元 {cell} 米，{kernel} 核函数，{method} 方法。</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Barrier class field (empty: highway, waterway, railway or barrier)</source>
        <translation>边界线类别字段（留空：highway、waterway、railway 或 barrier）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <location filename="../processing/regrid.py"/>
        <source>Barrier lines (roads, rivers, railways)</source>
        <translation>边界线（道路、河流、铁路）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Barrier lines (roads, waterways, railways, walls)</source>
        <translation>边界线（道路、河流、铁路、围墙）</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Barrier lines: roads, rivers, railways, walls (optional)</source>
        <translation>障碍线：道路、河流、铁路、围墙（可选）</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Barrier lines: {n} from {layers} layer(s).</source>
        <translation>障碍线：{n} 条，来自 {layers} 个图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Barriers (optional)</source>
        <translation>阻隔线（可选）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Barriers for the boundary description (empty: roads and water)</source>
        <translation>用于四至描述的边界要素（留空：道路和水系）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Benchmark convention: every building=yes</source>
        <translation>基准测试约定：每个 building=yes 都算住房</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Both plans need grid polygons; one of the layers is empty.</source>
        <translation>两个方案都需要网格面；其中一个图层为空。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Boundary adherence distance (m)</source>
        <translation>边界沿障碍线的判定距离（米）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Boundary adherence not measured: no barrier lines.</source>
        <translation>未计算边界沿障碍线比例：没有障碍线图层。</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Boundary layer (optional)</source>
        <translation>边界图层（可选）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Brings the office's 楼栋 roll (实有房屋/楼栋台账: one row per building with an id or address, optional coordinates, households 户数 and population 人口) onto a building layer. The roll is a CSV file (UTF-8 or GBK), an XLSX workbook or any layer. Each record is matched once: by the id or address field, else by its point inside a footprint, else to the nearest footprint within the match distance. Columns are guessed from their names (楼栋编号/建筑编号/id, 地址/门牌, 户数/户/households, 人口/人数/population, x/y/经度/纬度/lon/lat) unless given. Writes households, population, households_source (roll where the roll has records, estimate where the building kept its estimated households, none) and roll_records. Unmatched, multiply matched, duplicate and unusable records are reported in the log with their row numbers, and listed in the optional records table. Address points (门牌 points) carrying households can also be the load of partition directly.</source>
        <translation>把网格办的楼栋台账（实有房屋/楼栋台账：每栋楼一行，含楼栋编号或地址、可选坐标、户数和人口）落到建筑图层上。台账可以是 CSV 文件（UTF-8 或 GBK）、XLSX 工作簿或任意图层。每条记录只使用一次：先按编号或地址字段匹配，否则按其坐标点所在的建筑轮廓匹配，否则匹配匹配距离内最近的建筑。未指定列名时按列名识别（楼栋编号/建筑编号/id、地址/门牌、户数/户/households、人口/人数/population、x/y/经度/纬度/lon/lat）。写出 households（户数）、population（人口）、households_source（户数来源：有台账记录为 roll，保留估算户数为 estimate，否则为 none）和 roll_records（台账记录数）。未匹配、匹配多栋、重复和不可用的记录连同行号写入日志，并列在可选的记录表中。带户数的门牌点也可直接作为网格划分的负荷。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <location filename="../processing/compareplans.py"/>
        <source>Building household field</source>
        <translation>建筑户数字段</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Building id or address field (optional)</source>
        <translation>建筑编号或地址字段（可选）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Building load field</source>
        <translation>建筑负荷字段</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Building rule: minimum floor area of a built-up grid (m²)</source>
        <translation>建筑规则：建成网格的最小建筑面积（㎡）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Building rule: minimum floor-area ratio of a built-up grid</source>
        <translation>建筑规则：建成网格的最小容积率</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Building rule: minimum share of the floor area (%)</source>
        <translation>建筑规则：某类建筑面积的最小占比（%）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Building tag field (OSM building=*)</source>
        <translation>建筑标签字段（OSM building=*）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Building type field (e.g. building or building_type)</source>
        <translation>建筑类型字段（如 building 或 building_type）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <location filename="../processing/estimatehouseholds.py"/>
        <location filename="../processing/prepareosm.py"/>
        <source>Buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Buildings (footprints or address points)</source>
        <translation>建筑（轮廓或门牌点）</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Buildings (for the building list)</source>
        <translation>楼栋（用于楼栋清单）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Buildings (optional)</source>
        <translation>建筑（可选）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Buildings (polygons or points)</source>
        <translation>建筑（面或点）</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <location filename="../processing/compareplans.py"/>
        <source>Buildings (polygons or points, optional)</source>
        <translation>建筑（面或点，可选）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Buildings (with households)</source>
        <translation>建筑（含户数）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Buildings outside the area</source>
        <translation>区域外的建筑数</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Buildings with households</source>
        <translation>含户数的建筑</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Buildings with the roll</source>
        <translation>带台账数据的建筑</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Builds a print-ready grid map for public display (公示): title and subtitle, grids coloured by type (or by a chosen field) with their codes, the area boundary, roads and water, an optional incident heatmap beneath, a Chinese legend, scale bar, north arrow, an overview inset and data credits; optionally a table of the grids (code, type, households, grid worker and phone) on further pages, and an atlas with one page per grid (close-up, facts and the roads that bound it). Exports PDF and PNG (A4, A3 or A1; portrait or landscape; DPI of your choice). Run from the desktop, the layouts stay in the project's Layout Manager for adjusting.</source>
        <translation>生成可直接打印的网格公示图：标题与副标题，按网格类型（或指定字段）着色并标注网格编码，辖区边界、道路和水系，可选的事件热力图底图，中文图例、比例尺、指北针、位置示意图和数据来源；可选在后续页附网格一览表（编码、类型、户数、网格员及联系电话），以及每个网格一页的分网格图（近景、基本信息和四至道路）。导出 PDF 和 PNG（A4、A3 或 A1；纵向或横向；分辨率可选）。在桌面端运行时，布局会保留在工程的布局管理器中，便于调整。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Built {n} units inside {m} grids from the buildings (layer {name}).</source>
        <translation>已根据建筑在 {m} 个网格内生成 {n} 个单元（图层 {name}）。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>CLCD (China Land Cover Dataset)</source>
        <translation>CLCD（中国土地覆盖数据集）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>CRS of the outputs</source>
        <translation>输出坐标系</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>CRS of the roll's coordinates (empty: degrees are CGCS2000)</source>
        <translation>台账坐标的坐标系（留空：经纬度按 CGCS2000）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/kde.py"/>
        <source>Cannot choose a bandwidth automatically from {n} incident(s); give a bandwidth in metres.</source>
        <translation>仅有 {n} 个事件，无法自动确定带宽；请以米为单位给出带宽。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>Cannot choose a metric CRS for an empty layer.</source>
        <translation>无法为空图层选择米制坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>Cannot choose a metric CRS: the centre of the data ({lon}, {lat}) is not a valid longitude/latitude.</source>
        <translation>无法选择米制坐标系：数据中心 ({lon}, {lat}) 不是有效的经纬度。</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Cannot read '{entry}' in the levels by building type; write type:levels pairs such as house:1, farm:1.</source>
        <translation>无法解析按建筑类型的层数中的“{entry}”；请写成 类型:层数 的形式，如 house:1, farm:1。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>Cannot read the CSV file {path}: {reason}.</source>
        <translation>无法读取 CSV 文件 {path}：{reason}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>Cannot read the workbook {path}: {reason}. Check the sheet name and that the file is an XLSX file.</source>
        <translation>无法读取工作簿 {path}：{reason}。请检查工作表名称，并确认文件是 XLSX 文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/exporter.py"/>
        <source>Cannot write the output {path}: {reason}. Choose a folder you can write to.</source>
        <translation>无法写出 {path}：{reason}。请选择有写入权限的文件夹。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>Cannot write the {what} {path}: it is a folder. Give a file name.</source>
        <translation>无法写出{what} {path}：这是一个文件夹。请给出文件名。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>Cannot write the {what} {path}: permission denied. Choose a folder you can write to.</source>
        <translation>无法写出{what} {path}：没有写入权限。请选择有写入权限的文件夹。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>Cannot write the {what} {path}: the folder {folder} does not exist. Choose an existing folder.</source>
        <translation>无法写出{what} {path}：文件夹 {folder} 不存在。请选择已存在的文件夹。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>Categories to keep were given but no category field; choose the field that holds them.</source>
        <translation>给出了要保留的类别但未选择类别字段；请选择记录类别的字段。</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Category field</source>
        <translation>类别字段</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Cell size in metres (0: automatic)</source>
        <translation>像元大小（米；0 表示自动）</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Cell size used (m)</source>
        <translation>所用像元大小（米）</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Change map</source>
        <translation>变化图</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Change table</source>
        <translation>变更表</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Chart written to {path}</source>
        <translation>统计图已写入 {path}</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Checks any grid layer against the planning area and, when given, the parent units (communities, villages) and the buildings: gaps and overlaps (as polygons), grids outside the area, grids in several parts or with holes, grids crossing a parent boundary, buildings cut by a grid edge or in no grid, duplicate, malformed or missing codes (default pattern: 15 digits = 6 county + 3 township + 3 community + 3 serial), loads outside the tolerance, areas above the maximum and invalid geometries. Writes one row per problem with its kind, severity, the grids involved, where it is and a message, and logs the count of each kind.</source>
        <translation>对照规划区域（以及给定的上级单元——社区、村——和建筑）检查任意网格图层：缝隙和重叠（输出为面）、超出区域的网格、由多块组成或含孔洞的网格、跨越上级边界的网格、被网格边界切割或不在任何网格内的建筑、重复、格式错误或缺失的编码（默认格式：15 位 = 6 位区县 + 3 位街道乡镇 + 3 位社区村 + 3 位序号）、超出容差的负荷、超过上限的面积以及无效几何。每个问题输出一行，包括类型、级别、涉及的网格、位置和说明，并在日志中列出各类问题的数量。</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Children per grid of each generated upper level, from the top (empty: the parent layer only)</source>
        <translation>各生成上级层级每个网格包含的下级网格数，自上而下（留空：仅用上级图层）</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <location filename="../processing/exportregister.py"/>
        <location filename="../processing/planreport.py"/>
        <source>Chinese (中文)</source>
        <translation>中文</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <location filename="../processing/importroll.py"/>
        <source>Choose a building layer.</source>
        <translation>请选择建筑图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Choose a grid layer and its unit layer (or buildings to build units from), then press Start editing.</source>
        <translation>请选择网格图层及其单元图层（或选择建筑图层以自动生成单元），然后点击“开始编辑”。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <location filename="../processing/exportmap.py"/>
        <source>Choose a grid layer to map.</source>
        <translation>请选择要制图的网格图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Choose a valid {role} layer.</source>
        <translation>请选择有效的{role}图层。</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Choose an OpenStreetMap file (.osm, .osm.gz or .osm.pbf).</source>
        <translation>请选择 OpenStreetMap 文件（.osm、.osm.gz 或 .osm.pbf）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/exporter.py"/>
        <source>Choose at least one output: a PDF, a PNG or an atlas PDF.</source>
        <translation>请至少选择一种输出：PDF、PNG 或分网格图 PDF。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Choose the class field of the land-use layer (e.g. landuse, DLBM).</source>
        <translation>请选择用地图层的类别字段（如 landuse、DLBM）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/evidence.py"/>
        <source>Choose the class field of the land-use layer.</source>
        <translation>请选择用地图层的类别字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/lookup.py"/>
        <source>Choose the class field of the layer {layer}.</source>
        <translation>请选择图层 {layer} 的类别字段。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Choose the grid layer.</source>
        <translation>请选择网格图层。</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Choose the roll: a CSV or XLSX file, or a layer.</source>
        <translation>请选择台账：CSV 或 XLSX 文件，或一个图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>Chose the metric CRS {crs} automatically.</source>
        <translation>已自动选择米制坐标系 {crs}。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Class values missing from the mapping tables</source>
        <translation>对照表中缺少的类别值</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Classified grids</source>
        <translation>已分类网格</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Classify grids</source>
        <translation>网格分类</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Classify grids by type</source>
        <translation>网格类型识别</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Click or drag on the map to select units (Shift adds, Ctrl removes); right-click a grid to move them there</source>
        <translation>在地图上点击或拖框选择单元（Shift 追加，Ctrl 移除）；右键点击某个网格即把所选单元移入该网格</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Clip the boundary to the extent of the data</source>
        <translation>将边界裁剪到数据范围</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Clip to area (optional)</source>
        <translation>裁剪到区域（可选）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>Clipped the boundary to the extent of the data: {kept} of {total} km² kept.</source>
        <translation>已将边界裁剪到数据范围：保留 {total} 平方公里中的 {kept} 平方公里。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Code checks skipped: the grid layer has no code field.</source>
        <translation>已跳过编码检查：网格图层没有编码字段。</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <source>Code field name</source>
        <translation>编码字段名</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Code field of the locked grids</source>
        <translation>锁定网格的编码字段</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Code pattern (regular expression; empty: no format check)</source>
        <translation>编码格式（正则表达式；留空则不检查格式）</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <source>Coded grids</source>
        <translation>已编码网格</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Codes kept</source>
        <translation>保留的编码</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Codes retired earlier (comma-separated, never reused)</source>
        <translation>此前已停用的编码（逗号分隔，不再复用）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Cold spot grids</source>
        <translation>冷点网格数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/hotspots.py"/>
        <source>Cold spot, 90% confidence</source>
        <translation>冷点（90%置信度）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/hotspots.py"/>
        <source>Cold spot, 95% confidence</source>
        <translation>冷点（95%置信度）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/hotspots.py"/>
        <source>Cold spot, 99% confidence</source>
        <translation>冷点（99%置信度）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Collective households (集体户)</source>
        <translation>集体户</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Colour grids by this field instead of the type</source>
        <translation>按此字段（而非网格类型）着色</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Commit the edits of the grid and unit layers</source>
        <translation>提交网格图层和单元图层的编辑</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Community or village code where there is no parent code (3 digits)</source>
        <translation>无上级编码时的社区或村代码（3 位）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Compactness</source>
        <translation>紧凑度</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Compactness versus balance (0: balance first, 1: short road-following edges first)</source>
        <translation>紧凑与均衡的权衡（0：均衡优先；1：沿路的短边界优先）</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Compare grid plans</source>
        <translation>对比网格方案</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Compares two grid plans of the same area. Grids are matched one to one by overlap (intersection over union): kept (IoU at least the 'kept' threshold, default 0.99), changed (the same grid with moved edges: IoU above 0.5), new (no match in the old plan) and retired (old grids with no match). Counts the households that move and between which grids (from the buildings' grid in each plan, or spread by area when no buildings are given) and whether codes were kept. Writes a change map and a table of moves.</source>
        <translation>对比同一区域的两个网格方案。网格按重合度（交并比 IoU）一一匹配：保留（IoU 不低于“保留”阈值，默认 0.99）、调整（边界移动的同一网格：IoU 高于 0.5）、新增（原方案中无匹配）和撤销（无匹配的原网格）。统计迁移的户数及其来源和去向网格（根据建筑在两个方案中所属的网格；未给建筑时按面积比例估算），以及编码是否保留。输出变化图和户数迁移表。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Completeness: gap or overlap allowed per km² of area (m²)</source>
        <translation>完整性：每平方公里区域允许的缝隙或重叠面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Convenience: boundary adherence to pass</source>
        <translation>便利性：判定符合所需的边界沿障碍线比例</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Convenience: mean Polsby–Popper to pass</source>
        <translation>便利性：判定符合所需的平均紧凑度（Polsby–Popper）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Could not add a grid to the layer {name}.</source>
        <translation>无法向图层 {name} 添加网格。</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Could not apply the style {name}: {reason}</source>
        <translation>无法应用样式 {name}：{reason}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>Could not open {path}; check the path and the layer name.</source>
        <translation>无法打开 {path}；请检查路径和图层名。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>Could not reach the Dask scheduler at {address} ({reason}). Start one with dask scheduler and its workers with dask worker {address}, or run without --scheduler.</source>
        <translation>无法连接 {address} 的 Dask 调度器（{reason}）。请用 dask scheduler 启动调度器，用 dask worker {address} 启动工作节点，或不带 --scheduler 在本机运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/templates.py"/>
        <source>Could not read the layout template {path}.</source>
        <translation>无法读取布局模板 {path}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>Could not read {path} as OpenStreetMap data ({reason}); check that the file is a complete .osm, .osm.gz or .osm.pbf.</source>
        <translation>无法将 {path} 作为 OpenStreetMap 数据读取（{reason}）；请检查该文件是否为完整的 .osm、.osm.gz 或 .osm.pbf。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Could not save: {errors}</source>
        <translation>无法保存：{errors}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Could not start editing the layer {name}.</source>
        <translation>无法开始编辑图层 {name}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/templates.py"/>
        <source>Could not write the layout template {path}.</source>
        <translation>无法写出布局模板 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Count once, for the class of highest priority</source>
        <translation>只计一次，归优先级最高的类别</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Count per class (union of each class)</source>
        <translation>按类别分别计算（各类别取并集）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Counts incidents in each grid, in total and per category, for a time window and a previous period (default: the period of equal length, or the same number of whole months, just before it); the change; rates per 1,000 households and per km²; rank. Finds hot and cold spots with Getis–Ord Gi* on grid adjacency (queen or rook contiguity from shared boundaries, binary weights, each grid included in its own neighbourhood) with the Benjamini–Hochberg false-discovery-rate correction at 90/95/99% confidence. Incidents outside every grid and incidents without valid coordinates are counted and reported. Incidents in another CRS are transformed to the grids' CRS. Draws a chart of incidents per month by category for the whole area and for the top grids.</source>
        <translation>统计每个网格在时间范围内及上一时段（默认：紧邻其前、等长的时段，或相同整月数）的事件总数和分类数；变化量；每千户和每平方公里事件数；排名。基于网格邻接关系（按共享边界的后相邻或车相邻，二值权重，网格自身计入邻域）计算 Getis–Ord Gi* 冷热点，并在 90/95/99% 置信度下作 Benjamini–Hochberg 错误发现率校正。落在所有网格之外的事件和坐标无效的事件均计数并报告。其他坐标系中的事件将转换到网格坐标系。绘制全区按类别及排名靠前网格的逐月事件数统计图。</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>County code (6 digits, GB/T 2260, e.g. 440307)</source>
        <translation>县级代码（6 位，GB/T 2260，如 440307）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Crowded rule: minimum POI score</source>
        <translation>人员密集规则：兴趣点最低得分</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Crowded rule: minimum share of crowded places in the grid's area or floor area (%)</source>
        <translation>人员密集规则：人员密集场所占网格面积或建筑面积的最低比例（%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Cut buildings not checked: no building layer.</source>
        <translation>未检查建筑切割：没有建筑图层。</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>DXF files (*.dxf)</source>
        <translation>DXF 文件 (*.dxf)</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Data attribution in the footer</source>
        <translation>页脚中的数据来源说明</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Data credits</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Date (empty: today)</source>
        <translation>日期（留空：今天）</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Date/time field</source>
        <translation>日期/时间字段</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Decay ratio (triangular kernel only, 0–1)</source>
        <translation>衰减比（仅三角核，0–1）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Default levels</source>
        <translation>默认层数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>Default levels must be greater than 0.</source>
        <translation>默认层数必须大于 0。</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <location filename="../processing/multilevel.py"/>
        <location filename="../processing/partition.py"/>
        <location filename="../processing/partitionbytype.py"/>
        <location filename="../processing/regrid.py"/>
        <source>Design grids</source>
        <translation>网格划分</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Deviation %</source>
        <translation>偏差 %</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Disclaimer (printed in the footer)</source>
        <translation>免责声明（印在图廓下方）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Divides an area (each feature a community or village; no grid crosses from one to another) into grids that tile it exactly, follow roads, rivers, railways and walls, are one compact piece each and hold a balanced load (households) within the tolerance of the target. Blocks between strong barriers are the building units; a block heavier than the target is split along weak lines (footways, service roads, tracks) and then between buildings, never through a building. Grids that cannot meet the target are flagged with the reason (a single building above it, a parent below it, units too coarse). Codes (15 digits, DB11/T 2157-2023): the parent's 12-digit 统计用区划代码 (from the parent code field, completed by the county, township and community codes where it is shorter; without a field, county + township + community, consecutive community codes for several features) + a 3-digit serial, numbered in rows from north to south and west to east within a row. The same inputs and seed give the same grids.</source>
        <translation>将区域（每个要素为一个社区或村，网格不跨社区或村）划分为网格：网格无缝铺满区域，边界沿道路、河流、铁路和围墙，每个网格为紧凑的一整块，负荷（户数）在目标的容差之内。强边界之间的街区是建筑单元；负荷高于目标的街区先沿弱边界线（步行道、小区道路、小路）再在建筑之间分割，从不切穿建筑。无法达到目标的网格会被标记并注明原因（单栋建筑超过目标、上级单元低于目标、单元过粗）。编码（15 位，DB11/T 2157-2023）：上级单元的 12 位统计用区划代码（取自上级编码字段，位数不足时以县级、乡镇和社区代码补全；无字段时为县级 + 乡镇 + 社区代码，多个要素依次使用连续的社区代码）+ 3 位序号，按从北到南的行、行内从西到东编号。相同的输入和随机种子得到相同的网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Dormitories (collective households, 集体户): {n} buildings, {households} family households.</source>
        <translation>宿舍（集体户）：{n} 栋建筑，家庭户 {households} 户。</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Dormitories count as</source>
        <translation>宿舍计为</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>Dropped {n} degenerate polygons without area from the {layer} layer (rings of fewer than 3 distinct points).</source>
        <translation>已从 {layer} 图层中删除 {n} 个没有面积的退化多边形（环的不同顶点少于 3 个）。</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Duplicate rows</source>
        <translation>重复行数</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>ESA WorldCover</source>
        <translation>ESA WorldCover（欧空局全球地表覆盖）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/main.py"/>
        <source>Edit grids by hand with live load and deviation</source>
        <translation>手工编辑网格，实时显示负荷与偏差</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Edits saved.</source>
        <translation>编辑已保存。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Elevation model (DEM)</source>
        <translation>数字高程模型（DEM）</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <location filename="../processing/exportregister.py"/>
        <location filename="../processing/planreport.py"/>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Epanechnikov</source>
        <translation>Epanechnikov 核</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Estimate households per building</source>
        <translation>估算每栋建筑的户数</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Evidence: typed housing; untyped only without a sign of another use</source>
        <translation>证据：类型为住房的建筑；未标注类型的建筑仅在没有其他用途迹象时</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Exact (every point stamped, as QGIS)</source>
        <translation>精确（逐点叠加，与 QGIS 相同）</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Excel files (*.xlsx)</source>
        <translation>Excel 文件 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Existing grid plan</source>
        <translation>现有网格方案</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Export grid map for public display</source>
        <translation>导出网格公示图</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Export grid register (Excel, Shapefile, DXF)</source>
        <translation>导出网格台账（Excel、Shapefile、DXF）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <location filename="../processing/exportregister.py"/>
        <source>Export maps</source>
        <translation>导出地图</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/exporter.py"/>
        <source>Exporting the atlas to {path} failed: {error}</source>
        <translation>导出分网格图到 {path} 失败：{error}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/exporter.py"/>
        <source>Exporting the map to {path} failed (QGIS error {code}); check the folder and the disk space.</source>
        <translation>导出地图到 {path} 失败（QGIS 错误 {code}）；请检查文件夹和磁盘空间。</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Family households</source>
        <translation>家庭户</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Fast (binned, FFT convolution)</source>
        <translation>快速（分箱后 FFT 卷积）</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Finest grids</source>
        <translation>末级网格</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Finest grids with hierarchical codes</source>
        <translation>带层级编码的末级网格</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Floor area per household (m²)</source>
        <translation>每户建筑面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Floors field (e.g. levels)</source>
        <translation>层数字段（如 levels）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Floors of a building without a floor count (the same default as estimatehouseholds)</source>
        <translation>无层数建筑的默认层数（与户数估算相同）</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>From (e.g. 2023-05-01; empty: no limit)</source>
        <translation>起始日期（如 2023-05-01；留空表示不限）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>GB/T 21010-2017 land-use codes (国土调查分类)</source>
        <translation>GB/T 21010-2017 土地利用现状分类编码（国土调查分类）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>GDAL cannot read .bz2 files directly; decompress {path} (bunzip2) or convert it to .osm.pbf.</source>
        <translation>GDAL 无法直接读取 .bz2 文件；请解压 {path}（bunzip2）或将其转换为 .osm.pbf。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Gaps cover {value} m² (limit {limit} m²).</source>
        <translation>缝隙面积 {value} 平方米（上限 {limit} 平方米）。</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Give at least one residential building type.</source>
        <translation>请至少给出一种住宅建筑类型。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>Give at least one source of evidence: a land-use layer, water, buildings, POIs, a DEM or a land-cover raster.</source>
        <translation>请至少提供一种依据：用地图层、水面、建筑、兴趣点、DEM 或土地覆盖栅格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <location filename="../processing/multilevel.py"/>
        <source>Give at least one upper level (a parent layer or a group size).</source>
        <translation>请至少给出一个上级层级（上级图层或分组大小）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>Give either a boundary name or a boundary layer, not both.</source>
        <translation>请给出边界名称或边界图层之一，不要同时给出。</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Give the roll as a file or as a layer, not both.</source>
        <translation>台账请以文件或图层之一给出，不要同时给出。</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <source>Gives every grid a 15-digit code (DB11/T 2157-2023): its parent's 12-digit 统计用区划代码 (GB/T 10114: county 6 + township 3 + community or village 3) + a 3-digit serial. The parent code field may hold the 12-digit code, or a township (9 digits, or 12 ending in 000), county (6 digits, or 12 ending in 000000) or 3-digit community code, completed with the county, township and community codes given; without a field every grid has county + township + community as its parent. Other parent codes are refused. Serials run in rows from north to south, west to east within a row: a row starts at the northernmost grid centroid not yet numbered and holds every centroid less than half a row height (the median grid height) south of it. The input layer is not changed.</source>
        <translation>为每个网格赋 15 位编码（DB11/T 2157-2023）：上级单元的 12 位统计用区划代码（GB/T 10114：县级 6 位 + 乡镇 3 位 + 社区或村 3 位）+ 3 位序号。上级编码字段可为 12 位代码，也可为乡镇代码（9 位，或以 000 结尾的 12 位）、县级代码（6 位，或以 000000 结尾的 12 位）或 3 位社区代码，以给定的县级、乡镇和社区代码补全；无字段时每个网格的上级为县级 + 乡镇 + 社区代码。其他形式的上级编码将被拒绝。序号按从北到南的行、行内从西到东编排：一行从尚未编号的最北网格质心开始，包含其以南不足半个行高（网格高度的中位数）的所有质心。输入图层不会被修改。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <location filename="../grid_plugin/plugin.py"/>
        <source>Grid Planner</source>
        <translation>网格规划</translation>
    </message>
    <message>
        <location filename="../processing/provider.py"/>
        <source>Grid Planner (网格规划)</source>
        <translation>网格规划</translation>
    </message>
    <message>
        <location filename="../processing/provider.py"/>
        <source>Grid Planner (网格规划) — management grid design</source>
        <translation>网格规划 — 网格化管理的网格设计</translation>
    </message>
    <message>
        <location filename="../grid_plugin/deps.py"/>
        <source>Grid Planner needs Python packages that this QGIS cannot import: {found}. Install them into QGIS's own Python: open Terminal and run:

{command}

then restart QGIS.</source>
        <translation>网格规划需要的 Python 包在此 QGIS 中无法导入：{found}。请安装到 QGIS 自带的 Python 中：打开“终端”，运行：

{command}

然后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/deps.py"/>
        <source>Grid Planner needs Python packages that this QGIS cannot import: {found}. Install them with:

{command}

then restart QGIS.</source>
        <translation>网格规划需要的 Python 包在此 QGIS 中无法导入：{found}。请用以下命令安装：

{command}

然后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/deps.py"/>
        <source>Grid Planner needs Python packages that this QGIS cannot import: {found}. Open the OSGeo4W Shell (Start menu › QGIS › OSGeo4W Shell; right-click › Run as administrator) and run:

{command}

then restart QGIS.</source>
        <translation>网格规划需要的 Python 包在此 QGIS 中无法导入：{found}。请打开 OSGeo4W Shell（开始菜单 › QGIS › OSGeo4W Shell；右键 › 以管理员身份运行），运行：

{command}

然后重启 QGIS。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Grid Planner: merge {n} grids</source>
        <translation>网格规划：合并 {n} 个网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Grid Planner: move {n} units to {grid}</source>
        <translation>网格规划：将 {n} 个单元移入 {grid}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Grid Planner: rebalance {n} grids</source>
        <translation>网格规划：重新均衡 {n} 个网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Grid Planner: split {grid} into {k}</source>
        <translation>网格规划：将 {grid} 拆分为 {k} 个</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Grid Planner: validating grids</source>
        <translation>网格规划：正在校验网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <location filename="../processing/exportregister.py"/>
        <location filename="../processing/planreport.py"/>
        <location filename="../processing/validate.py"/>
        <source>Grid code field</source>
        <translation>网格编码字段</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <location filename="../processing/regrid.py"/>
        <source>Grid code field (empty: grid_code)</source>
        <translation>网格编码字段（留空：grid_code）</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Grid code field (in both plans)</source>
        <translation>网格编码字段（两个方案相同）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Grid editing</source>
        <translation>网格编辑</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/main.py"/>
        <source>Grid editing panel</source>
        <translation>网格编辑面板</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Grid id field (in both plans)</source>
        <translation>网格序号字段（两个方案相同）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <location filename="../processing/assess.py"/>
        <location filename="../processing/exportmap.py"/>
        <source>Grid layer</source>
        <translation>网格图层</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Grid load field (empty: sum the buildings' households)</source>
        <translation>网格负荷字段（留空则汇总建筑户数）</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Grid load field (in both plans)</source>
        <translation>网格负荷字段（两个方案相同）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Grid name or code field</source>
        <translation>网格名称或编码字段</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Grid plan problems</source>
        <translation>网格方案问题</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Grid plan report (HTML/PDF)</source>
        <translation>网格方案评估报告（HTML/PDF）</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Grid register (Excel)</source>
        <translation>网格台账（Excel）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Grid type field</source>
        <translation>网格类型字段</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Grid type field (empty: grid_type)</source>
        <translation>网格类型字段（留空：grid_type）</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Grid type field (judges the difference principle)</source>
        <translation>网格类型字段（用于评价差异性原则）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Grid types</source>
        <translation>网格类型</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Grid types present: {types}.</source>
        <translation>现有网格类型：{types}。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Grid worker name field (empty: worker)</source>
        <translation>网格员姓名字段（留空：worker）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Grid worker phone field (empty: phone)</source>
        <translation>网格员电话字段（留空：phone）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} covers {area_m2} m², above the maximum of {max_area_m2} m².</source>
        <translation>网格 {grids} 面积 {area_m2} 平方米，超过上限 {max_area_m2} 平方米。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/finish.py"/>
        <source>Grid {grids} encloses grid {inner}: an enclave, not a gap.</source>
        <translation>网格 {grids} 包围网格 {inner}：这是飞地，不是缝隙。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has a hole of {area_m2} m² that holds another grid ({inner}).</source>
        <translation>网格 {grids} 有一个 {area_m2} 平方米的孔洞，其中是另一网格（{inner}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has a hole of {area_m2} m².</source>
        <translation>网格 {grids} 有一个 {area_m2} 平方米的孔洞。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has a load of {load}, {deviation}% above the target {target} (tolerance ±{tolerance}%).</source>
        <translation>网格 {grids} 户数为 {load}，比目标 {target} 高 {deviation}%（容差 ±{tolerance}%）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has a load of {load}, {deviation}% below the target {target} (tolerance ±{tolerance}%).</source>
        <translation>网格 {grids} 户数为 {load}，比目标 {target} 低 {deviation}%（容差 ±{tolerance}%）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has an invalid geometry ({reason}); it was repaired for the other checks.</source>
        <translation>网格 {grids} 的几何无效（{reason}）；其他检查使用了修复后的几何。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has no code.</source>
        <translation>网格 {grids} 没有编码。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has no geometry.</source>
        <translation>网格 {grids} 没有几何。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has the code '{code}', which does not match the pattern {pattern}.</source>
        <translation>网格 {grids} 的编码“{code}”不符合格式 {pattern}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} has {n_parts} separate parts; the {n_small} smaller ones ({area_m2} m²) are shown.</source>
        <translation>网格 {grids} 由 {n_parts} 个不相连的部分组成；图中显示较小的 {n_small} 个（{area_m2} 平方米）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} lies in {parent} but its code does not start with that parent's code.</source>
        <translation>网格 {grids} 位于 {parent}，但其编码不以该上级编码开头。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grid {grids} lies in {parent} but {area_m2} m² of it is in {other}.</source>
        <translation>网格 {grids} 位于 {parent}，但有 {area_m2} 平方米在 {other} 内。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Grid {grid} does not exist (any more); choose another grid.</source>
        <translation>网格 {grid} 不存在（或已被删除）；请选择其他网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Grid {grid} has only {n} units and cannot be split into {k} parts.</source>
        <translation>网格 {grid} 只有 {n} 个单元，无法拆分为 {k} 个。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Grid {grid} is not a neighbour of the selected units; choose a grid that touches them.</source>
        <translation>网格 {grid} 与所选单元不相邻；请选择与之相接的网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Grid {grid} is not in one piece; repair it before splitting.</source>
        <translation>网格 {grid} 不连片；请先修复再拆分。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/chart.py"/>
        <source>Grid {id}</source>
        <translation>网格 {id}</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <location filename="../processing/base.py"/>
        <location filename="../processing/exportregister.py"/>
        <location filename="../processing/incidentstats.py"/>
        <location filename="../processing/partition.py"/>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Grids (DXF drawing)</source>
        <translation>网格（DXF 图）</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Grids (Shapefile)</source>
        <translation>网格（Shapefile）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Grids (any polygon layer)</source>
        <translation>网格（任意面图层）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Grids ({n} grids)</source>
        <translation>网格_{n}个</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Grids ({target} households)</source>
        <translation>网格_{target}户</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Grids added</source>
        <translation>新增网格数</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Grids changed</source>
        <translation>调整网格数</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Grids flagged</source>
        <translation>被标记的网格数</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Grids kept</source>
        <translation>保留网格数</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Grids per type</source>
        <translation>各类型网格数</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Grids per type: {counts}</source>
        <translation>各类型网格数：{counts}</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Grids retired</source>
        <translation>撤销网格数</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Grids with metrics</source>
        <translation>网格及指标</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Grids {grids} overlap by {area_m2} m².</source>
        <translation>网格 {grids} 重叠 {area_m2} 平方米。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Group into area grids</source>
        <translation>归并为按面积划分的网格</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Heatmap</source>
        <translation>热力图</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Hot spot grids</source>
        <translation>热点网格数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/hotspots.py"/>
        <source>Hot spot, 90% confidence</source>
        <translation>热点（90%置信度）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/hotspots.py"/>
        <source>Hot spot, 95% confidence</source>
        <translation>热点（95%置信度）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/hotspots.py"/>
        <source>Hot spot, 99% confidence</source>
        <translation>热点（99%置信度）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>Hot spots need at least 3 grids with a value; Gi* was not computed.</source>
        <translation>冷热点分析至少需要 3 个有值的网格；未计算 Gi*。</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Hot spots of</source>
        <translation>冷热点分析对象</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>Hot spots per 1,000 households need a households field; choose one or test counts.</source>
        <translation>按每千户事件数分析冷热点需要户数字段；请选择户数字段，或改为分析事件数。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <location filename="../processing/regrid.py"/>
        <source>Household field (empty: households)</source>
        <translation>户数字段（留空：households）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Households above which a settlement is a town, not a village</source>
        <translation>居民点户数超过此值时视为城镇而非村庄</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Households field</source>
        <translation>户数字段</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Households field (e.g. households; a grid holding many is never land)</source>
        <translation>户数字段（如 households；户数多的网格不会被判为用地类网格）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Households field (empty: households)</source>
        <translation>户数字段（留空：households）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Households from the roll</source>
        <translation>来自台账的户数</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Households moved</source>
        <translation>迁移户数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Housing below the minimum footprint: {n} buildings, {households} households.</source>
        <translation>占地小于最小面积的住房：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Ignore gaps and overlaps smaller than (m²)</source>
        <translation>忽略小于此面积的缝隙和重叠（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Import building roll (households, population)</source>
        <translation>导入楼栋台账（户数、人口）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incident count</source>
        <translation>事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Incident heatmap</source>
        <translation>事件热力图</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Incident heatmap (raster, drawn beneath)</source>
        <translation>事件热力图（栅格，绘于底层）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incident hot spots</source>
        <translation>事件冷热点</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <location filename="../processing/incidentstats.py"/>
        <source>Incident points</source>
        <translation>事件点</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incident statistics per grid</source>
        <translation>网格事件统计</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/chart.py"/>
        <location filename="../processing/incidentheatmap.py"/>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents in grids</source>
        <translation>网格内事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents outside every grid</source>
        <translation>网格外事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents per 1,000 households</source>
        <translation>每千户事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents per km²</source>
        <translation>每平方公里事件数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/chart.py"/>
        <source>Incidents per month by category, whole area</source>
        <translation>各月事件数（按类别，全区）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/chart.py"/>
        <source>Incidents per month, top {n} grids</source>
        <translation>各月事件数（前 {n} 个网格）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents read</source>
        <translation>读取的事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Incidents used</source>
        <translation>使用的事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents with unreadable dates</source>
        <translation>日期无法识别的事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents without valid coordinates</source>
        <translation>坐标无效的事件数</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Incidents: {n_input} read, {n_invalid} without valid coordinates, {n_other_category} of other categories, {n_unparsed_date} with unreadable dates, {n_outside_window} outside the time window, {n_outside_area} outside the area, {n_used} used.</source>
        <translation>事件：读取 {n_input} 个，坐标无效 {n_invalid} 个，其他类别 {n_other_category} 个，日期无法识别 {n_unparsed_date} 个，时间范围外 {n_outside_window} 个，区域外 {n_outside_area} 个，使用 {n_used} 个。</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Incidents: {n_input} read, {n_invalid} without valid coordinates, {n_other_category} of other categories, {n_unparsed_date} with unreadable dates, {n_outside_window} outside the time window; {n_in_grids} in grids, {n_outside_grids} outside every grid; {n_previous} in grids in the previous period. Hot spot grids: {n_hot}, cold spot grids: {n_cold}.</source>
        <translation>事件：读取 {n_input} 个，坐标无效 {n_invalid} 个，其他类别 {n_other_category} 个，日期无法识别 {n_unparsed_date} 个，时间范围外 {n_outside_window} 个；网格内 {n_in_grids} 个，网格外 {n_outside_grids} 个；上一时段网格内 {n_previous} 个。热点网格 {n_hot} 个，冷点网格 {n_cold} 个。</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Keep only these categories (comma-separated; empty: all)</source>
        <translation>仅保留以下类别（逗号分隔；留空表示全部）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/compare.py"/>
        <source>Kept {kept}, changed {changed}, new {new}, retired {retired} grids; {moved} households move.</source>
        <translation>保留 {kept} 个、调整 {changed} 个、新增 {new} 个、撤销 {retired} 个网格；迁移 {moved} 户。</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Kernel density heatmap of incident points, as incidents per km² (the raster times the cell area sums to the number of incidents, less what spills over the edge of the clip area). Kernels are QGIS's heatmap kernels. Bandwidth: given in metres, or automatic by the spatial Silverman rule 0.9·min(SD, √(1/ln 2)·Dm)·n^-0.2 (SD: standard distance, Dm: median distance to the mean centre). Cell size: given in metres, or about bandwidth/8. Filter by category and by a time window on a date field (ISO, 2023/5/1 8:00, 2023年5月1日, Excel serials and date fields are read; unreadable dates are reported). Clip to an area layer. Writes a GeoTIFF and a style that is transparent at zero, so it overlays a grid map.</source>
        <translation>以核密度估计生成事件热力图，单位为每平方公里事件数（栅格值乘以像元面积之和等于事件数，减去溢出裁剪区域边缘的部分）。核函数与 QGIS 热力图相同。带宽：以米给出，或按空间 Silverman 规则 0.9·min(SD, √(1/ln 2)·Dm)·n^-0.2 自动确定（SD：标准距离，Dm：到平均中心距离的中位数）。像元大小：以米给出，或约为带宽的 1/8。可按类别和日期字段上的时间范围筛选（可识别 ISO、2023/5/1 8:00、2023年5月1日、Excel 序列号及日期字段；无法识别的日期会报告）。可裁剪到区域图层。输出 GeoTIFF 及样式，零值透明，便于叠加在网格图上。</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Kernel shape</source>
        <translation>核函数形状</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Known households field (optional)</source>
        <translation>已知户数字段（可选）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land rules: household target of a grid</source>
        <translation>用地规则：网格目标户数</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land rules: households (as % of the target) that make a grid a settlement, never land</source>
        <translation>用地规则：户数达到目标的该比例（%）时网格为居民点，而不是用地类网格</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Land use</source>
        <translation>用地</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Land use (prepared landuse layer, optional)</source>
        <translation>用地（准备好的 landuse 图层，可选）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Land use polygons (field landuse_class)</source>
        <translation>土地利用面（字段 landuse_class）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-cover mapping table</source>
        <translation>土地覆盖对照表</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-cover raster</source>
        <translation>土地覆盖栅格</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-use and water rules: minimum share of one class (%)</source>
        <translation>用地与水面规则：单一类别的最小占比（%）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-use class field(s) (several OSM tag fields are tried in order)</source>
        <translation>用地类别字段（可选多个 OSM 标签字段，按顺序取第一个非空值）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-use key field (e.g. source_key; optional)</source>
        <translation>用地键字段（如 source_key，可选）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-use mapping table</source>
        <translation>用地对照表</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-use polygons</source>
        <translation>用地面</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Land-use rule: minimum share of the grid with land-use evidence (%)</source>
        <translation>用地规则：网格内有用地依据的最小面积占比（%）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Landscape</source>
        <translation>横向</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Language of texts and log</source>
        <translation>输出文字与日志的语言</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Largest footprint of an untyped dwelling (m²)</source>
        <translation>未标注类型住宅的最大占地面积（㎡）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Layers and targets</source>
        <translation>图层与目标</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Layout name</source>
        <translation>布局名称</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Layout name in the project</source>
        <translation>工程中的布局名称</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Layout template (.qpt)</source>
        <translation>布局模板（.qpt）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Left out {n} selected units that do not touch the target grid.</source>
        <translation>未移动 {n} 个与目标网格不相接的所选单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>Level 1 is generated at the township tier: its codes {county}001, {county}002 … are serials, not official township codes. Give a township layer with 9-digit codes to use real ones.</source>
        <translation>第 1 层在乡镇层级生成：其编码 {county}001、{county}002 … 是序号，不是正式的乡镇代码。如需使用真实代码，请提供带 9 位代码的乡镇图层。</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Level {level}: {n} grids.</source>
        <translation>第 {level} 级：{n} 个网格。</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Level-1 parent layer (communities; empty: generate)</source>
        <translation>一级网格图层（社区；留空则自动生成）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Levels by building type (type:levels, comma separated)</source>
        <translation>按建筑类型的层数（类型:层数，逗号分隔）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Levels field</source>
        <translation>层数字段</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Load</source>
        <translation>负荷</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Load checks skipped: the grids have no load field and no buildings were given.</source>
        <translation>已跳过负荷检查：网格没有负荷字段，也没有给出建筑。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Load field</source>
        <translation>负荷字段</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Load per building (field or expression, e.g. households + 3 * shops)</source>
        <translation>每栋建筑的负荷（字段或表达式，如 households + 3 * shops）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Load the layers into the panel and open them for editing</source>
        <translation>把图层载入面板并进入编辑状态</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>Loads checked for the {n} grids of household types; {m} site and land grids are not balanced by households.</source>
        <translation>已对 {n} 个按户数均衡类型的网格检查户数；{m} 个场所和用地网格不按户数均衡。</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Locked field (true: keep the grid whatever its load)</source>
        <translation>锁定字段（为真时无论户数多少都保留该网格）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Locked grids (kept exactly)</source>
        <translation>锁定网格（原样保留）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Map (PDF)</source>
        <translation>公示图（PDF）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Map (PNG)</source>
        <translation>公示图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Map review number (审图号)</source>
        <translation>审图号</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Match distance to the nearest footprint (m)</source>
        <translation>匹配最近建筑的距离（米）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Maximum area of an open-land grid (m²; 0: from the rule table)</source>
        <translation>无人居住用地网格的最大面积（平方米；0：取规则表中的值）</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Maximum grid area (m², 0: no limit)</source>
        <translation>网格面积上限（平方米，0 表示不限）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Maximum grid area (m², 0: none)</source>
        <translation>网格最大面积（平方米，0：不限）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Mean compactness {value} is below {limit}.</source>
        <translation>平均紧凑度 {value} 低于 {limit}。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Measures a grid plan against the four principles with the same definitions as everywhere in Grid Planner: coverage, gap and overlap area, contiguity, load CV, maximum deviation, share of grids within ±10% and ±20% of the target, Polsby–Popper compactness, boundary adherence (share of shared grid edges within the given distance of a barrier line) and cut buildings. Writes the grids with their own metrics and a scorecard table, and gives a verdict per principle (pass, partly met, fail, not assessed); difference is judged from a grid_type field when there is one. The thresholds of the verdicts are the advanced parameters; the rules are in docs/assess.md.</source>
        <translation>按四项原则评估网格方案，指标定义与网格规划其他部分一致：覆盖率、缝隙和重叠面积、连续性、负荷变异系数、最大偏差、偏差在目标 ±10% 和 ±20% 以内的网格占比、Polsby–Popper 紧凑度、边界沿障碍线比例（网格间共用边界中距障碍线不超过给定距离的长度占比）以及被切割建筑。输出带各自指标的网格和评分表，并对每项原则给出评价（符合、基本符合、不符合、未评估）；有 grid_type 字段时评价差异性原则。评价阈值见高级参数，规则见 docs/assess.md。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Merge the selected adjacent grids into the first of them</source>
        <translation>把所选相邻网格合并到第一个网格</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Minimum footprint of a dwelling (m²)</source>
        <translation>住宅最小占地面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Minimum grid area (m², 0: none)</source>
        <translation>网格最小面积（平方米，0：不限）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/plugin.py"/>
        <source>Missing Python packages; see the log (Grid Planner tab) for the install command.</source>
        <translation>缺少 Python 包；安装命令见日志（网格规划 标签页）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/chart.py"/>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Monthly chart (PNG)</source>
        <translation>逐月统计图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Mountain rule: minimum mean slope (degrees)</source>
        <translation>山地规则：最小平均坡度（度）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Mountain rule: minimum relief (m)</source>
        <translation>山地规则：最小高差（米）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Moving these units would cut grid {grid} into {parts} pieces; choose other units, or turn on repair.</source>
        <translation>移动这些单元会把网格 {grid} 切成 {parts} 块；请选择其他单元，或打开自动修复。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Moving these units would leave grid {grid} empty; merge the grids instead.</source>
        <translation>移动这些单元会使网格 {grid} 变空；请改用合并。</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Multi-level grids</source>
        <translation>多级网格</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>NLCD (USA)</source>
        <translation>NLCD（美国国家土地覆盖数据）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Name field of roads and barriers</source>
        <translation>道路及边界要素的名称字段</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Name field of the barriers</source>
        <translation>障碍线名称字段</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Name of the area's boundary (for 四至 on the outer edge)</source>
        <translation>辖区边界名称（用于外缘的四至）</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Named roads, rivers and railways (for 四至)</source>
        <translation>有名称的道路、河流和铁路（用于四至）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Natural villages found</source>
        <translation>识别出的自然村</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Neighbour tolerance in metres (gaps between grids up to this count as shared)</source>
        <translation>邻接容差（米；网格间不超过此距离的缝隙视为共享边界）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Neighbouring grids, with their load after the move</source>
        <translation>相邻网格及移动后的负荷</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Neighbours</source>
        <translation>邻接关系</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Nests the finest grids (e.g. third-level grids from gridplanner:partition) in upper levels. The first level can come from a parent layer (communities, villages): each grid joins the parent holding it, and a parent layer that does not cover every grid, or a grid straddling two parents, is refused with the grids named. The other levels are generated by grouping the grids of the level below into balanced, contiguous groups of about the given size. Upper grids are the unions of their children, so nesting is exact. Codes follow the 15-digit grid code (county 6 + township 3 + community 3 + serial 3) from the bottom: the finest grids 15 digits, the level above them the community tier (12 digits), the level above that the township tier (9 digits); so at most two upper levels. Each code is its parent's code plus a 3-digit serial in rows from north to south, west to east within a row; the top level extends the county (+ township) code given or keeps the parent layer's codes (12-digit community codes, or 9-digit township codes when a generated level lies below it). Group sizes are listed from the top: '8,24' makes level 1 from about 8 level-2 grids and level 2 from about 24 finest grids.</source>
        <translation>将末级网格（如 gridplanner:partition 生成的三级网格）嵌套到上级层级中。第一层可来自上级图层（社区、村）：每个网格归入包含它的上级单元；若上级图层未覆盖全部网格，或有网格跨两个上级单元，将拒绝运行并列出这些网格。其余层级由下一层的网格分组生成，每组为连片、均衡、约为给定数量的网格。上级网格是其下级网格的并集，因此嵌套严格。编码遵循 15 位网格编码（县级 6 位 + 乡镇 3 位 + 社区 3 位 + 序号 3 位），自下而上：末级网格 15 位，其上一层为社区层级（12 位），再上一层为乡镇层级（9 位）；因此最多两个上级层级。每个编码为上级编码加 3 位序号，按从北到南的行、行内从西到东编排；最上层在给定的县级（+ 乡镇）代码后编号，或沿用上级图层的代码（12 位社区代码；其下还有生成层级时为 9 位乡镇代码）。分组大小自上而下列出：“8,24” 表示第 1 层约由 8 个第 2 层网格组成，第 2 层约由 24 个末级网格组成。</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <location filename="../processing/regrid.py"/>
        <source>New grid plan</source>
        <translation>新网格方案</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>No PDF: Chromium or Chrome was not found or could not print; open the HTML and print it.</source>
        <translation>未生成 PDF：未找到 Chromium 或 Chrome，或其无法打印；请打开 HTML 后打印。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/evidence.py"/>
        <source>No POI kind field: every POI counts as a crowded place with weight 1.</source>
        <translation>未指定兴趣点类型字段：每个兴趣点均按权重 1 计为人员密集场所。</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>No barrier lines: grid edges will not follow roads, rivers or railways. Give the barrier layers (roads, waterways, railways): tick them all in the dialog, or with qgis_process repeat BARRIERS=… once per layer (or merge them first with native:mergevectorlayers).</source>
        <translation>没有障碍线：网格边界将不会沿道路、河流或铁路划分。请提供障碍线图层（道路、水系、铁路）：在对话框中勾选全部图层，或在 qgis_process 中每个图层写一次 BARRIERS=…（也可先用 native:mergevectorlayers 合并）。</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>No barrier lines: the convenience principle (grid edges along roads, rivers and railways) is not measured. Give the barrier layer (roads, waterways, railways; merge several with native:mergevectorlayers).</source>
        <translation>没有障碍线：未评估便利性原则（网格边界沿道路、河流和铁路）。请提供障碍线图层（道路、水系、铁路；多个图层请先用 native:mergevectorlayers 合并）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>No boundary given: the planning area is the convex hull of the data within the bounds the file declares.</source>
        <translation>未给出边界：规划范围为数据凸包在文件所声明范围（bounds）内的部分。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>No boundary given: the planning area is the convex hull of the data.</source>
        <translation>未给出边界：规划范围为数据的凸包。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>No boundary named {name} in the OSM file. Administrative boundaries in the file: {available}. Check the spelling, give another name, give a boundary layer, or leave the name empty to use the hull of the data.</source>
        <translation>OSM 文件中没有名为 {name} 的边界。文件中的行政边界有：{available}。请检查拼写、换一个名称、提供边界图层，或将名称留空以使用数据的外包多边形。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/evidence.py"/>
        <source>No building type field: every building counts as housing.</source>
        <translation>未指定建筑类型字段：所有建筑均按住宅计。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/engine.py"/>
        <source>No building with a load lies inside the area ({outside} of {total} buildings are outside it); check that the buildings layer covers the area and that the load field is filled.</source>
        <translation>区域内没有带负荷的建筑（{total} 栋建筑中有 {outside} 栋在区域外）；请检查建筑图层是否覆盖该区域、负荷字段是否已填写。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>No buildings inside the planning area of {path}. Grids are balanced by the households in buildings; choose an OSM extract or a boundary that covers built-up land.</source>
        <translation>{path} 的规划范围内没有建筑。网格按建筑中的户数均衡划分；请选择覆盖建成区的 OSM 数据或边界。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>No county code given: codes start with {county}. Enter the county and township codes (e.g. 440307, 015).</source>
        <translation>未给出县级代码：编码以 {county} 开头。请输入县级和乡镇代码（如 440307、015）。</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>No date field was given, so no monthly chart was drawn.</source>
        <translation>未选择日期字段，未绘制逐月统计图。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>No feature of the layer {name} has a geometry; choose a layer with geometries.</source>
        <translation>图层 {name} 中没有任何要素带有几何；请选择带几何的图层。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>No field chosen: using the field {field}.</source>
        <translation>未选择字段：使用字段 {field}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/exporter.py"/>
        <source>No font for Chinese text is installed; install fonts-noto-cjk (Noto Sans CJK SC) and run again.</source>
        <translation>未安装可显示中文的字体；请安装 fonts-noto-cjk（Noto Sans CJK SC）后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>No grids balanced by households (no load or no household grid types).</source>
        <translation>没有按户数均衡的网格（无户数或无按户数划分的网格类型）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>No incidents are left after filtering: {n_input} read, {n_invalid} without valid coordinates, {n_other_category} of other categories, {n_unparsed_date} with unreadable dates, {n_outside_window} outside the time window, {n_outside_area} outside the area. Widen the category list or the time window, or check the date field.</source>
        <translation>筛选后没有剩余事件：读取 {n_input} 个，坐标无效 {n_invalid} 个，其他类别 {n_other_category} 个，日期无法识别 {n_unparsed_date} 个，时间范围外 {n_outside_window} 个，区域外 {n_outside_area} 个。请放宽类别或时间范围，或检查日期字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>No problems found.</source>
        <translation>未发现问题。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>No roads inside the planning area: grid edges cannot follow roads. Check the extract and boundary.</source>
        <translation>规划范围内没有道路：网格边界将无法沿道路划定。请检查数据范围和边界。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>No target CRS given and no data to choose one from.</source>
        <translation>未给出目标坐标系，也没有可据以选择坐标系的数据。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>No units selected.</source>
        <translation>未选择单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>No units selected: select units (or buildings) on the map.</source>
        <translation>未选择单元：请在地图上选择单元（或建筑）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Not assessed: the grid layer has no grid_type field.</source>
        <translation>未评估：网格图层没有 grid_type 字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Not residential by the benchmark convention: {n} buildings, {households} households.</source>
        <translation>按基准测试约定为非住宅：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/hotspots.py"/>
        <source>Not significant</source>
        <translation>不显著</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/exporter.py"/>
        <source>Noto Sans CJK SC is not installed; the map uses {font} for Chinese text.</source>
        <translation>未安装 Noto Sans CJK SC；地图中文使用 {font} 字体。</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Number of buildings</source>
        <translation>建筑数量</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Number of errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <location filename="../processing/partition.py"/>
        <location filename="../processing/partitionbytype.py"/>
        <source>Number of grids</source>
        <translation>网格数量</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Number of grids instead of a target (0: use the target)</source>
        <translation>网格数量（代替目标值；0：使用目标值）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Number of natural villages</source>
        <translation>自然村数量</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Number of problems</source>
        <translation>问题数</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Number of roads</source>
        <translation>道路数量</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Number of specialised sites</source>
        <translation>专属场所数量</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Number of unmapped class values</source>
        <translation>未对照的类别值个数</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Number of warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Old grid plan</source>
        <translation>原网格方案</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Old plan to compare with (optional)</source>
        <translation>用于对比的原方案（可选）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Only {value}% of internal edges follow a barrier line (goal {limit}%).</source>
        <translation>仅 {value}% 的内部边界沿障碍线（目标 {limit}%）。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Open land (farmland, forest, water, hills)</source>
        <translation>无人居住用地（农田、林地、水面、山地）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>OpenStreetMap file (.osm, .osm.gz, .osm.pbf)</source>
        <translation>OpenStreetMap 文件（.osm、.osm.gz、.osm.pbf）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>OpenStreetMap files (*.osm *.osm.gz *.osm.pbf *.pbf)</source>
        <translation>OpenStreetMap 文件 (*.osm *.osm.gz *.osm.pbf *.pbf)</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>OpenStreetMap tags</source>
        <translation>OpenStreetMap 标签</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Orientation</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Output values</source>
        <translation>输出值</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Overlap (IoU) above which a grid is the same grid, changed</source>
        <translation>重合度（IoU）高于此值视为同一网格（已调整）</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Overlap (IoU) for a grid to count as kept</source>
        <translation>重合度（IoU）不低于此值视为保留</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Overlapping land-use polygons</source>
        <translation>重叠的用地面</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/evidence.py"/>
        <source>Overlapping land-use polygons: {area} ha of overlap counted once ({mode} rule).</source>
        <translation>用地面存在重叠：{area} 公顷重叠面积只计一次（{mode} 规则）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>Overlaps cover {value} m² (limit {limit} m²).</source>
        <translation>重叠面积 {value} 平方米（上限 {limit} 平方米）。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Own POI mapping table (CSV)</source>
        <translation>自定义兴趣点对照表（CSV）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Own building-type mapping table (CSV)</source>
        <translation>自定义建筑类型对照表（CSV）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Own land-cover mapping table (CSV; replaces the table above)</source>
        <translation>自定义土地覆盖对照表（CSV，替代上面的对照表）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Own land-use mapping table (CSV; replaces the table above)</source>
        <translation>自定义用地对照表（CSV，替代上面的对照表）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>PDF written to {path}.</source>
        <translation>PDF 已写入 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>POI kind field (e.g. poi_kind)</source>
        <translation>兴趣点类型字段（如 poi_kind）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>POIs (prepared pois layer: tags on the building itself, optional)</source>
        <translation>兴趣点（准备好的 pois 图层：建筑本身的标签，可选）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Pages of the atlas</source>
        <translation>分网格图页数</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Pages of the map PDF</source>
        <translation>公示图 PDF 页数</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Paper size</source>
        <translation>纸张大小</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>Parent areas overlap by {area} m²; the overlap goes to the first parent that holds it.</source>
        <translation>上级单元之间重叠 {area} 平方米；重叠部分归入包含它的第一个上级单元。</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <location filename="../processing/partition.py"/>
        <location filename="../processing/planreport.py"/>
        <location filename="../processing/validate.py"/>
        <source>Parent code field</source>
        <translation>上级编码字段</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <source>Parent code field (community or village)</source>
        <translation>上级编码字段（社区或村）</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Parent code field (empty: code, parent_code …)</source>
        <translation>上级代码字段（留空：code、parent_code 等）</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Parent code field (grids never move across parents)</source>
        <translation>上级编码字段（网格不会跨上级调整）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Parent code field of the area</source>
        <translation>范围图层的上级编码字段</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>Parent codes hold the county code {other}, not the {given} given; the parent codes are used.</source>
        <translation>上级编码中的县级代码为 {other}，而非给定的 {given}；以上级编码为准。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>Parent codes hold the township code {other}, not the {given} given; the parent codes are used.</source>
        <translation>上级编码中的乡镇代码为 {other}，而非给定的 {given}；以上级编码为准。</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Parent layer (communities and villages, for 所属社区/村)</source>
        <translation>上级图层（社区和村，用于所属社区/村）</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Parent name field</source>
        <translation>上级名称字段</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Parent name field (empty: name …)</source>
        <translation>上级名称字段（留空：name 等）</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <location filename="../processing/validate.py"/>
        <source>Parent units: communities, villages (optional)</source>
        <translation>上级单元：社区、村（可选）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>Parent {parent} has {n} grids, more than {width}-digit serials can number; codes use more digits.</source>
        <translation>上级单元 {parent} 有 {n} 个网格，超过 {width} 位顺序码的容量；编码将使用更多位数。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Parents (communities/villages with their 城乡分类代码; optional)</source>
        <translation>上级区划（带城乡分类代码的社区/村，可选）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Partition by grid type (difference principle)</source>
        <translation>按类型划分网格（差异性）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Partition into balanced grids</source>
        <translation>均衡网格划分</translation>
    </message>
    <message>
        <location filename="../processing/compareplans.py"/>
        <source>Plan changes</source>
        <translation>方案变化</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Planning area</source>
        <translation>规划范围</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Planning area (m²)</source>
        <translation>规划范围面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Planning area (optional)</source>
        <translation>规划区域（可选）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Planning inputs (GeoPackage)</source>
        <translation>规划输入数据（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <location filename="../processing/prepareosm.py"/>
        <source>Points of interest</source>
        <translation>兴趣点</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Points of interest (field poi_kind)</source>
        <translation>兴趣点（字段 poi_kind）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Polsby–Popper compactness 4πA/P² (1 = circle)</source>
        <translation>Polsby–Popper 紧凑度 4πA/P²（圆为 1）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Portrait</source>
        <translation>纵向</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <location filename="../processing/importroll.py"/>
        <location filename="../processing/prepareosm.py"/>
        <source>Prepare inputs</source>
        <translation>准备输入数据</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Prepare planning inputs from OpenStreetMap</source>
        <translation>从 OpenStreetMap 准备规划输入数据</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>Prepared in {crs}: area {area} km², {buildings} buildings, {roads} roads, {waterways} waterways, {railways} railways, {landuse} landuse, {water} water, {pois} POIs.</source>
        <translation>已在 {crs} 中完成准备：面积 {area} 平方公里，建筑 {buildings} 栋，道路 {roads} 条，水道 {waterways} 条，铁路 {railways} 条，用地 {landuse} 块，水面 {water} 块，兴趣点 {pois} 个。</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Previous period from (empty: just before the window)</source>
        <translation>上一时段起始（留空表示紧邻时间范围之前）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Previous period to, inclusive</source>
        <translation>上一时段截止（含当日）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <location filename="../processing/validate.py"/>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>QGIS layout templates (*.qpt)</source>
        <translation>QGIS 布局模板 (*.qpt)</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Quartic</source>
        <translation>四次核（Quartic）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Queen (shared edge or corner)</source>
        <translation>后相邻（共享边或角点）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Railways</source>
        <translation>铁路</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <location filename="../processing/partition.py"/>
        <location filename="../processing/partitionbytype.py"/>
        <location filename="../processing/regrid.py"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Raw kernel sum (as QGIS's raw heatmap)</source>
        <translation>原始核函数和（同 QGIS 原始热力图）</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Re-grid with stability</source>
        <translation>稳定调整网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>Re-gridding kept {kept} of {n_old} grids, changed {changed}, added {new} and retired {retired}; {moved:.0f} of {total:.0f} households changed grid.</source>
        <translation>调整后保留 {n_old} 个网格中的 {kept} 个，调整 {changed} 个，新增 {new} 个，停用 {retired} 个；{total:.0f} 户中有 {moved:.0f} 户变更了网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>Reading {path} needs the Python package openpyxl; install it (pip install openpyxl) or save the roll as CSV.</source>
        <translation>读取 {path} 需要 Python 包 openpyxl；请安装（pip install openpyxl），或把台账另存为 CSV。</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Reads an OpenStreetMap file (.osm, .osm.gz or .osm.pbf) and writes one GeoPackage with the layers boundary, buildings, roads, waterways, railways, landuse, water and pois, all in one metric CRS: the one you choose, or chosen automatically (the CGCS2000 3-degree Gauss-Kruger zone, EPSG:4534-4554, inside China; UTM elsewhere). The planning area is the administrative polygon with the name you give (or its OSM id such as relation/123), or your boundary layer, or else the convex hull of the data. Features are clipped to the area; buildings are kept whole and belong to the area that holds a point inside them. Invalid polygons are repaired and counted in the log. The GeoPackage is written completely or not at all.</source>
        <translation>读取 OpenStreetMap 文件（.osm、.osm.gz 或 .osm.pbf），写出一个 GeoPackage，包含 boundary（边界）、buildings（建筑）、roads（道路）、waterways（水道）、railways（铁路）、landuse（用地）、water（水面）和 pois（兴趣点）图层，全部使用同一米制坐标系：由您指定，或自动选择（中国境内为 CGCS2000 3 度带高斯-克吕格投影，EPSG:4534-4554；其他地区为 UTM）。规划范围为您给出名称（或 OSM 编号，如 relation/123）的行政区多边形，或您提供的边界图层，否则为数据的凸包。要素按规划范围裁剪；建筑保持完整，按其内部一点归属于所在范围。无效多边形会被修复并在日志中计数。GeoPackage 要么完整写出，要么完全不写。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Reassign units</source>
        <translation>调整单元归属</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Rebalance</source>
        <translation>均衡</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Records matched</source>
        <translation>已匹配记录数</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Records matching several buildings</source>
        <translation>匹配多栋建筑的记录数</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Records unmatched</source>
        <translation>未匹配记录数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Redraw the selected neighbouring grids so their loads are balanced</source>
        <translation>重新划分所选相邻网格，使负荷均衡</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Repair instead of refusing (take cut-off pieces along)</source>
        <translation>自动修复而不拒绝（一并移动被切断的部分）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>Repaired {n} invalid area polygons.</source>
        <translation>已修复 {n} 个无效的区域多边形。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>Repaired {n} invalid geometries in the {layer} layer.</source>
        <translation>已修复 {layer} 图层中 {n} 个无效几何。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>Repaired {n} invalid geometries in {name}.</source>
        <translation>已修复 {name} 中 {n} 个无效几何。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>Repaired {n} invalid grid polygons (for counting only; the output keeps them as they were).</source>
        <translation>已修复 {n} 个无效的网格多边形（仅用于计数；输出保持原样）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>Repaired {n} invalid grid polygons for the map.</source>
        <translation>已为制图修复 {n} 个无效的网格多边形。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>Repaired {n} invalid polygons in the layer {name} (e.g. feature ids {examples}).</source>
        <translation>已修复图层 {name} 中 {n} 个无效多边形（例如要素编号 {examples}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/geometry.py"/>
        <source>Repaired {n} invalid polygons in the layer {name} (self-intersections, bad rings).</source>
        <translation>已修复图层 {name} 中 {n} 个无效面（自相交、环错误等）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>Repaired {n} invalid polygons in the {layer} layer (make_valid, polygonal parts kept).</source>
        <translation>已修复 {layer} 图层中 {n} 个无效多边形（make_valid，保留面状部分）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>Repaired {n} invalid unit polygons.</source>
        <translation>已修复 {n} 个无效的单元多边形。</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Report (HTML)</source>
        <translation>报告（HTML）</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Report (PDF)</source>
        <translation>报告（PDF）</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Report language</source>
        <translation>报告语言</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Report loads outside the tolerance</source>
        <translation>报告超出容差的负荷</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Report title (optional)</source>
        <translation>报告标题（可选）</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Report written to {path}.</source>
        <translation>报告已写入 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Reprojected the barrier layer {name} from {source} to {target}.</source>
        <translation>已将边界线图层 {name} 从 {source} 重投影到 {target}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <location filename="../processing/regrid.py"/>
        <source>Reprojected the layer {name} from {source} to {target}.</source>
        <translation>已将图层 {name} 从 {source} 重投影到 {target}。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Reprojected the layer {name} to {target}.</source>
        <translation>已将图层 {name} 重投影到 {target}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>Reprojected {name} to the CRS of the grids.</source>
        <translation>已将 {name} 重投影到网格的坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Residential building types (comma separated)</source>
        <translation>住宅建筑类型（逗号分隔）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Residential buildings</source>
        <translation>住宅建筑数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Residential by the benchmark convention: {n} buildings, {households} households.</source>
        <translation>按基准测试约定为住宅：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Resolution (DPI)</source>
        <translation>分辨率（DPI）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Right-click a grid next to the selected units to move them there.</source>
        <translation>请右键点击与所选单元相邻的网格，把它们移过去。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <location filename="../processing/prepareosm.py"/>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Roads, waterways, railways: edges of the units built from the buildings</source>
        <translation>道路、水系、铁路：根据建筑生成单元时的单元边界</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll column: households (empty: guess)</source>
        <translation>台账列：户数（留空：自动识别）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll column: id or address (empty: guess)</source>
        <translation>台账列：编号或地址（留空：自动识别）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll column: population (empty: guess)</source>
        <translation>台账列：人口（留空：自动识别）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll column: x or longitude (empty: guess)</source>
        <translation>台账列：X 或经度（留空：自动识别）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll column: y or latitude (empty: guess)</source>
        <translation>台账列：Y 或纬度（留空：自动识别）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>Roll columns: key {key}, households {households}, population {population}, coordinates {x}/{y}.</source>
        <translation>台账列：编号 {key}，户数 {households}，人口 {population}，坐标 {x}/{y}。</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll file (CSV or XLSX)</source>
        <translation>台账文件（CSV 或 XLSX）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll layer or table (instead of a file)</source>
        <translation>台账图层或表（代替文件）</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Roll records and how each matched</source>
        <translation>台账记录及匹配结果</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>Roll: {n} records; {matched} matched to {buildings} buildings ({key} by id or address, {point} by point in a footprint, {nearest} by the nearest footprint), {households} households.</source>
        <translation>台账：共 {n} 条记录；{matched} 条匹配到 {buildings} 栋建筑（按编号或地址 {key} 条，按坐标落在轮廓内 {point} 条，按最近建筑 {nearest} 条），共 {households} 户。</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Rolls (*.csv *.xlsx *.txt)</source>
        <translation>台账 (*.csv *.xlsx *.txt)</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Rook (shared edge)</source>
        <translation>车相邻（共享边）</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <source>Row height (m, 0: the median grid height)</source>
        <translation>行高（米，0：网格高度的中位数）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>Row {row} of the rule table {source} has the match '{part}'; write key=value|value with key one of {keys}.</source>
        <translation>规则表 {source} 第 {row} 行的匹配条件为“{part}”；请写成 键=值|值，键为 {keys} 之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>Row {row} of the rule table {source} has the unknown grid type '{code}'; use one of {known}.</source>
        <translation>规则表 {source} 第 {row} 行的网格类型“{code}”未知；请使用 {known} 之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>Row {row} of the rule table {source} has the unknown load rule '{rule}'; use one of {rules}.</source>
        <translation>规则表 {source} 第 {row} 行的负荷规则“{rule}”未知；请使用 {rules} 之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>Row {row} of the rule table {source} has the unknown role '{role}'; use one of {roles}.</source>
        <translation>规则表 {source} 第 {row} 行的角色“{role}”未知；请使用 {roles} 之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>Row {row} of the rule table {source}: {column} is '{value}', not a number of zero or more; correct it or leave it empty.</source>
        <translation>规则表 {source} 第 {row} 行：{column} 为“{value}”，不是大于或等于零的数；请更正或留空。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Rule table (CSV; empty: the shipped grid_rules.csv)</source>
        <translation>规则表（CSV；留空：使用自带的 grid_rules.csv）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>Running on a Dask scheduler needs the Python package distributed; install it (pip install distributed).</source>
        <translation>在 Dask 调度器上运行需要 Python 包 distributed；请先安装（pip install distributed）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Save edits</source>
        <translation>保存编辑</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>Scorecard</source>
        <translation>评分表</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Select at least two adjacent grids to merge.</source>
        <translation>请至少选择两个相邻网格进行合并。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Select at least two neighbouring grids to rebalance.</source>
        <translation>请至少选择两个相邻网格进行均衡。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Select buildings on the map; their units move</source>
        <translation>在地图上选择建筑，移动其所在单元</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Select units of another grid to move into grid {grid}.</source>
        <translation>请选择其他网格的单元移入网格 {grid}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Selected grids</source>
        <translation>所选网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/finish.py"/>
        <source>Self-check ({n} grids): {errors} problems of the validation, {enclaves} enclaves, {flagged} grids flagged.</source>
        <translation>自检（{n} 个网格）：校验发现 {errors} 个问题，{enclaves} 处飞地，{flagged} 个网格已标记。</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Shapefile encoding</source>
        <translation>Shapefile 编码</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Shapefiles (*.shp)</source>
        <translation>Shapefile 文件 (*.shp)</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Share of grids within the tolerance</source>
        <translation>在容差范围内的网格比例</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>Sheet of the workbook</source>
        <translation>工作簿中的工作表</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Site rule: minimum share of a specialised site (%)</source>
        <translation>专属场所规则：专属场所的最小面积占比（%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>Some parent codes occur more than once; grids are numbered per area feature.</source>
        <translation>部分上级编码重复出现；网格按区域要素分别编号。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Split</source>
        <translation>拆分</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>Split a grid into at least 2 parts.</source>
        <translation>网格至少要拆分为 2 个。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Split the selected grid into k balanced, contiguous grids</source>
        <translation>把所选网格拆分为 k 个均衡且连片的网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Start editing</source>
        <translation>开始编辑</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Strong classes (grid edges follow them)</source>
        <translation>强边界类别（网格边界须沿其走向）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Subdistrict or town name (subtitle)</source>
        <translation>街道或乡镇名称（副标题）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>Subdistrict {number} of {path} has unknown keys: {keys}; known keys: {known}.</source>
        <translation>{path} 中第 {number} 个街道有未知的键：{keys}；可用的键：{known}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>Subdistrict {number} of {path} lacks {keys}.</source>
        <translation>{path} 中第 {number} 个街道缺少 {keys}。</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Sum of density × cell area</source>
        <translation>密度 × 像元面积之和</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Sum of density × cell area: {integral} of {total} incidents (the raster reaches a bandwidth beyond them).</source>
        <translation>密度 × 像元面积之和：{integral}（事件总数 {total}；栅格范围超出事件一个带宽，边缘无损失）。</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Sum of density × cell area: {integral} of {total} incidents ({share}%); the rest is kernel mass beyond the edge of the area.</source>
        <translation>密度 × 像元面积之和：{integral}（事件总数 {total}，占 {share}%）；其余为溢出区域边缘的核密度。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Supervision phone field (empty: supervision_phone)</source>
        <translation>监督电话字段（留空则使用 supervision_phone）</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Surroundings for the inset (e.g. neighbouring subdistricts, with a name field)</source>
        <translation>位置示意图中的周边区域（如相邻街道，含名称字段）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Target CRS (empty: choose automatically)</source>
        <translation>目标坐标系（留空则自动选择）</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Target households per grid</source>
        <translation>每个网格的目标户数</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Target households per residential grid</source>
        <translation>每个住宅网格的目标户数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Target load</source>
        <translation>目标负荷</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The 15-digit grid code (county 6 + township 3 + community 3 + serial 3) has room for two levels above the grids (township, community); {n} were asked for. Give at most two upper levels.</source>
        <translation>15 位网格编码（县级 6 位 + 乡镇 3 位 + 社区 3 位 + 序号 3 位）在网格之上只能容纳两个层级（乡镇、社区）；当前要求 {n} 个。请最多给出两个上级层级。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/raster_stats.py"/>
        <source>The DEM covers {n} of {total} grids less than 90% (outside the DEM or no-data cells); their slope comes from the covered part, and grids with no DEM cell get no slope.</source>
        <translation>{total} 个网格中有 {n} 个被 DEM 覆盖不足 90%（位于 DEM 范围外或为无数据像元）；其坡度仅按覆盖部分计算，完全无 DEM 像元的网格没有坡度。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/raster_stats.py"/>
        <source>The DEM {name} does not cover any grid (DEM extent {extent} in {crs}); choose a DEM that covers the grids or check that its CRS is right.</source>
        <translation>DEM {name} 未覆盖任何网格（DEM 范围 {extent}，坐标系 {crs}）；请选择覆盖网格的 DEM，或检查其坐标系是否正确。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/gpkg.py"/>
        <source>The GeoPackage {path} does not exist.</source>
        <translation>GeoPackage 文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/compare.py"/>
        <source>The IoU thresholds must satisfy 0 &lt; same ({same}) &lt; kept ({kept}) ≤ 1.</source>
        <translation>重合度阈值须满足 0 &lt; 同一网格（{same}）&lt; 保留（{kept}）≤ 1。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>The OSM file has no features to build a hull from; give a boundary layer instead.</source>
        <translation>OSM 文件中没有可用于生成外包多边形的要素；请改为提供边界图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>The OSM file {path} does not exist; check the path.</source>
        <translation>OSM 文件 {path} 不存在；请检查路径。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>The OSM file {path} has no buildings (no building=* tags). Grids are balanced by the households in buildings; use an extract that covers built-up land.</source>
        <translation>OSM 文件 {path} 中没有建筑（没有 building=* 标签）。网格按建筑中的户数均衡划分；请使用覆盖建成区的数据。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>The OSM file {path} holds no features; check that it is not empty or truncated.</source>
        <translation>OSM 文件 {path} 中没有要素；请检查文件是否为空或不完整。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The area has {n} features but no parent code field: they are coded as communities {first} to {last}. Choose the field that holds the office's parent codes to use them.</source>
        <translation>区域有 {n} 个要素但没有上级编码字段：它们按社区 {first} 至 {last} 编码。如需使用网格办自己的上级编码，请选择存放这些编码的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The area has {n} features but no parent code field; choose the field that holds the parent codes.</source>
        <translation>区域有 {n} 个要素但没有上级编码字段；请选择存放上级编码的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The area layer has no CRS, so its distances and areas cannot be read as metres. Assign its projected CRS (e.g. CGCS2000 / 3-degree Gauss-Kruger, EPSG:4534-4554) and run again.</source>
        <translation>区域图层没有坐标参考系，无法按米计算距离和面积。请为其指定投影坐标系（如 CGCS2000 / 3 度高斯-克吕格，EPSG:4534-4554）后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <source>The area layer has no field {field} (城乡分类代码); its fields are: {fields}.</source>
        <translation>区域图层没有字段 {field}（城乡分类代码）；其字段有：{fields}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/finish.py"/>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The area layer has no field {field}; choose the field that holds the parent code.</source>
        <translation>区域图层没有字段 {field}；请选择存放上级编码的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>The area layer has no polygon; choose the planning area polygons.</source>
        <translation>区域图层没有面；请选择规划区域面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The area layer holds no polygon with an area; choose a polygon layer.</source>
        <translation>区域图层中没有面积大于零的多边形；请选择面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>The area layer holds no polygons; choose a polygon layer.</source>
        <translation>区域图层不含多边形；请选择面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <location filename="../processing/partition.py"/>
        <source>The area layer is empty; choose a layer with at least one polygon.</source>
        <translation>区域图层为空；请选择至少包含一个多边形的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <location filename="../processing/partitionbytype.py"/>
        <source>The area layer is empty; choose a polygon layer with at least one feature.</source>
        <translation>范围图层为空；请选择至少含一个要素的面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The area layer is in a geographic CRS ({crs}); distances and areas need metres. Reproject it to a projected CRS, e.g. CGCS2000 / 3-degree Gauss-Kruger (EPSG:4534-4554) or UTM.</source>
        <translation>区域图层使用地理坐标系（{crs}）；距离和面积需要以米为单位。请将其重投影到投影坐标系，例如 CGCS2000 / 3 度高斯-克吕格（EPSG:4534-4554）或 UTM。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <source>The area layer is in a geographic CRS ({crs}); grids are measured in metres. Reproject it to a projected CRS (e.g. CGCS2000 / Gauss-Kruger, EPSG:4534–4554).</source>
        <translation>范围图层使用地理坐标系（{crs}）；网格以米为单位计算。请将其重投影到投影坐标系（如 CGCS2000 高斯-克吕格，EPSG:4534–4554）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/heatmap.py"/>
        <source>The bandwidth ({bandwidth} m) is smaller than a cell ({cell} m); the heatmap will be spotty.</source>
        <translation>带宽（{bandwidth} 米）小于像元（{cell} 米），热力图将呈斑点状。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/kde.py"/>
        <source>The bandwidth must be positive (got {value}).</source>
        <translation>带宽必须为正数（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/boundary_description.py"/>
        <source>The barrier layer has no field {field}; choose the field that holds road and river names.</source>
        <translation>边界要素图层没有字段 {field}；请选择存放道路和河流名称的字段。</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>The barrier layer {name} has no field {field}; choose the field that holds the class.</source>
        <translation>边界线图层 {name} 没有字段 {field}；请选择存放类别的字段。</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>The barrier layer(s) {names} have no features: no barrier lines arrived. Check the layer, its filter and its extent.</source>
        <translation>障碍线图层 {names} 没有要素：未收到任何障碍线。请检查图层、其筛选条件和范围。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>The batch config {path} does not exist.</source>
        <translation>批处理配置文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>The batch config {path} is not valid TOML: {reason}</source>
        <translation>批处理配置文件 {path} 不是有效的 TOML：{reason}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>The batch config {path} lists no [[subdistrict]] tables; add one per subdistrict.</source>
        <translation>批处理配置文件 {path} 未列出任何 [[subdistrict]] 表；请为每个街道添加一个。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>The boundary layer has no coordinate reference system; assign one (e.g. EPSG:4490) first.</source>
        <translation>边界图层没有坐标参考系；请先为其指定一个（如 EPSG:4490）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>The boundary layer has no polygon with an area; check its geometries.</source>
        <translation>边界图层中没有具有面积的多边形；请检查其几何。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>The boundary layer has no polygons; choose a polygon layer with the planning area.</source>
        <translation>边界图层中没有多边形；请选择表示规划范围的面图层。</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>The boundary layer is empty; choose a layer with the planning area.</source>
        <translation>边界图层为空；请选择表示规划范围的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>The boundary layer is in the geographic CRS {crs}; it is reprojected to the metric CRS {target}.</source>
        <translation>边界图层使用地理坐标系 {crs}；已将其重投影到米制坐标系 {target}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>The boundary layer is in {crs}; it is reprojected to {target}, the CRS of the output.</source>
        <translation>边界图层使用 {crs}；已将其重投影到输出坐标系 {target}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The building layer ({crs}) is not in the CRS of the units; building selection is off.</source>
        <translation>建筑图层（{crs}）与单元图层坐标系不同；已关闭按建筑选择。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The building layer has no coordinate reference system; assign one first.</source>
        <translation>建筑图层没有坐标参考系；请先为其指定坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The building layer has no field {field}; its fields are: {fields}.</source>
        <translation>建筑图层没有字段 {field}；其字段有：{fields}。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <location filename="../processing/regrid.py"/>
        <source>The building layer is empty; choose a layer with buildings and households.</source>
        <translation>建筑图层为空；请选择含建筑和户数的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The building layer is in the geographic CRS {crs}; footprints are measured in {metric}.</source>
        <translation>建筑图层使用地理坐标系 {crs}；占地面积在 {metric} 中量算。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The building layer must be in a projected CRS in metres (distances are measured); reproject it or run prepareosm first.</source>
        <translation>建筑图层必须使用以米为单位的投影坐标系（要量算距离）；请先重投影，或先运行 prepareosm。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/unit_builder.py"/>
        <source>The building layer {name} has no load field (households); choose the field with households.</source>
        <translation>建筑图层 {name} 没有负荷字段（户数）；请选择存放户数的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/unit_builder.py"/>
        <source>The building layer {name} must hold polygons or points.</source>
        <translation>建筑图层 {name} 必须是面或点图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The building type field {field} is not in the building layer; its fields are: {fields}.</source>
        <translation>建筑图层中没有建筑类型字段 {field}；该图层的字段有：{fields}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <source>The buildings ({b}) and the area ({a}) are in different CRSs; reproject them to one CRS.</source>
        <translation>建筑（{b}）与范围（{a}）的坐标系不同；请将它们重投影到同一坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>The buildings have no field {field}; each building counts as one.</source>
        <translation>建筑没有字段 {field}；每栋建筑按 1 计。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <location filename="../processing/partition.py"/>
        <source>The buildings layer is empty; choose a layer with buildings.</source>
        <translation>建筑图层为空；请选择包含建筑的图层。</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>The chart font lacks some characters: {examples}</source>
        <translation>统计图字体缺少部分字符：{examples}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The code prefix {value} is not 6, 9 or 12 digits (county, + township, + community).</source>
        <translation>编码前缀 {value} 不是 6、9 或 12 位数字（县级、+ 乡镇、+ 社区）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>The code {code} is used by {n} grids: {grids}.</source>
        <translation>编码 {code} 被 {n} 个网格使用：{grids}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The codes of the level-{level} parent layer do not extend the codes of the level above (e.g. {code}); give that layer without its code field, or give the level above as a layer.</source>
        <translation>第 {level} 层上级图层的编码没有延续上一层的编码（如 {code}）；请不指定该图层的编码字段，或将上一层也作为图层给出。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The community code {value} must have exactly 3 digits; enter a code such as 001.</source>
        <translation>社区代码 {value} 必须正好为 3 位数字；请输入如 001 的代码。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The compactness preference must be between 0 and 1.</source>
        <translation>紧凑度偏好必须在 0 到 1 之间。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>The companion of gridplanner:partition for areas that are not a uniform town. Driven by an editable rule table (one row per grid type), it carves specialised sites (campus, hospital, school, market, station, industrial park, large enterprise) above a size threshold into their own grids; finds natural villages by the proximity of their buildings (one village, one grid; split above the maximum; hamlets merged into the nearest village) — a village only where the settlement is rural: its parent's 城乡分类代码 (1xx urban, 2xx rural) says so or, without one, farmland, forest or open land surrounds it (the rule classify uses); attaches farmland, forest, water, hills and tidal flats to the village or residential grid they belong to, or groups them into area grids up to a maximum area; and partitions the remaining residential area at the household target. Everything is built from the atomic units of gridplanner:partition, so grid edges follow roads, rivers and railways, no grid crosses an expressway, trunk or primary road, river or railway, every grid is one piece and no building is cut. The output is checked as gridplanner:validate checks a plan: every grid at fault is flagged with the reason, and the log gives the plan's verdict on the four principles. Locked grids are kept exactly. Codes are 15 digits: the parent's 12-digit 统计用区划代码 (the parent code field, completed by the county, township and community codes where shorter; without a field, county + township + community, consecutive community codes for several features) + a 3-digit serial in rows from north to south, west to east within a row.</source>
        <translation>gridplanner:partition 的配套算法，用于并非均质城镇的区域。依据可编辑的规则表（每种网格类型一行）：将超过规模阈值的专属场所（校园、医院、学校、市场、车站、产业园区、大型企业）单独划为网格；按建筑的邻近关系识别自然村（一村一格；超过上限时拆分；过小的散居点并入最近的村）——只有居民点属于农村时才划为村庄：其上级的城乡分类代码（1xx 城镇，2xx 乡村）表明为乡村，或在没有代码时其周边为农田、林地或空旷地（与网格类型识别使用同一规则）；将农田、林地、水面、山地和滩涂并入其所属的村庄或住宅网格，或按最大面积归并为单独的网格；其余居住区按目标户数划分。一切均由 gridplanner:partition 的基本单元构成，因此网格边界沿道路、河流和铁路，任何网格都不跨越高速公路、干线公路、主干道、河流或铁路，每个网格都是一整块，不切割建筑。输出按 gridplanner:validate 的方式校验：每个有问题的网格都会被标记并注明原因，日志给出方案在四项原则上的结论。锁定网格原样保留。编码为 15 位：上级单元的 12 位统计用区划代码（取自上级编码字段，位数不足时以县级、乡镇和社区代码补全；无字段时为县级 + 乡镇 + 社区代码，多个要素依次使用连续的社区代码）+ 3 位序号，按从北到南的行、行内从西到东编排。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The county code {value} must have exactly 6 digits (GB/T 2260); enter a code such as 440307.</source>
        <translation>县级代码 {value} 必须正好为 6 位数字（GB/T 2260）；请输入如 440307 的代码。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The default number of floors is {value}; give a positive number.</source>
        <translation>默认层数为 {value}；请填写正数。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The default number of levels must be greater than 0 (got {value}).</source>
        <translation>默认层数必须大于 0（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <location filename="../processing/regrid.py"/>
        <source>The existing plan is empty; choose a grid layer with at least one grid.</source>
        <translation>现有方案为空；请选择至少含一个网格的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The field {field} does not exist in the grid layer; available fields: {available}.</source>
        <translation>网格图层中没有字段 {field}；可用字段：{available}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The field {field} does not exist in the layer {layer}; available fields: {available}.</source>
        <translation>图层 {layer} 中不存在字段 {field}；可用字段：{available}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The field {field} does not exist in the parent layer; available fields: {available}.</source>
        <translation>上级图层中没有字段 {field}；现有字段：{available}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The field {field} holds {n} values that are not numbers; choose a numeric field.</source>
        <translation>字段 {field} 中有 {n} 个值不是数字；请选择数值字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>The field {field} holds {n} values that are not numbers; choose a numeric load field.</source>
        <translation>字段 {field} 有 {n} 个非数值；请选择数值型负荷字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>The field {field} is not in the layer {name}; choose one of its fields.</source>
        <translation>图层 {name} 中没有字段 {field}；请选择该图层的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The field {field} of the layer {name} has no values (all NULL); choose the field that holds them.</source>
        <translation>图层 {name} 的字段 {field} 没有任何值（全为空）；请选择存放数值的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>The field {field} of the layer {name} holds no numbers; choose a numeric field.</source>
        <translation>图层 {name} 的字段 {field} 不含数值；请选择数值字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The field {field} of {layer} holds {n} values that are not numbers; choose a numeric field.</source>
        <translation>{layer} 的字段 {field} 中有 {n} 个非数值；请选择数值字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The floor area per household must be greater than 0 m² (got {value}).</source>
        <translation>每户建筑面积必须大于 0 平方米（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/graph.py"/>
        <source>The graph has {n} units but {m} loads; give one load per unit.</source>
        <translation>图中有 {n} 个单元，但给出了 {m} 个负荷；请为每个单元给出一个负荷。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The grid codes of the plan are not unique: {codes}{more}. A code must name one grid; fix the repeated codes (or recode with gridplanner:assigncodes) and run again. Nothing was changed.</source>
        <translation>方案中的网格编码不唯一：{codes}{more}。一个编码只能对应一个网格；请修正重复的编码（或用 gridplanner:assigncodes 重新编码）后再运行。未做任何更改。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The grid layer ({a}) and the unit layer ({b}) are in different CRSs; save them in one CRS.</source>
        <translation>网格图层（{a}）与单元图层（{b}）坐标系不同；请把它们保存为同一坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The grid layer has no code field; the map numbers the grids 1 to {n}.</source>
        <translation>网格图层没有编码字段；地图将网格依次编号为 1 至 {n}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The grid layer has no code field; the register numbers the grids 001 to {n}.</source>
        <translation>网格图层没有编码字段；台账按 001 至 {n} 为网格编号。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The grid layer has no coordinate reference system; assign one (e.g. EPSG:4326) first.</source>
        <translation>网格图层没有坐标参考系；请先指定（例如 EPSG:4326）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The grid layer has no coordinate reference system; set its CRS (Layer Properties ▸ Source) and run again.</source>
        <translation>网格图层没有坐标参考系；请设置其坐标系（图层属性 ▸ 源）后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/boundary_description.py"/>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The grid layer has no features; choose a layer with grid polygons.</source>
        <translation>网格图层没有要素；请选择包含网格多边形的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>The grid layer has no field {field}; choose one of: {fields}.</source>
        <translation>网格图层没有字段 {field}；请从以下字段中选择：{fields}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The grid layer has no field {field}; choose the field that holds the parent code.</source>
        <translation>网格图层没有字段 {field}；请选择存放上级编码的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/boundary_description.py"/>
        <source>The grid layer has no field {field}; choose the field with grid codes.</source>
        <translation>网格图层没有字段 {field}；请选择存放网格编码的字段。</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <location filename="../processing/validate.py"/>
        <source>The grid layer has no field {field}; choose the grid code field.</source>
        <translation>网格图层没有字段 {field}；请选择网格编码字段。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>The grid layer has no field {field}; choose the grid type field.</source>
        <translation>网格图层没有字段 {field}；请选择网格类型字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>The grid layer has no load field {field} and no buildings were given; choose the grids' load field or give a building layer to sum the load from.</source>
        <translation>网格图层没有负荷字段 {field}，也没有给出建筑；请选择网格的负荷字段，或给出用于汇总负荷的建筑图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The grid layer has no polygon with an area; choose a polygon layer.</source>
        <translation>网格图层中没有有面积的面；请选择面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/plan_units.py"/>
        <source>The grid layer has no polygons to build units in.</source>
        <translation>网格图层中没有可用于生成单元的面。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <location filename="../processing/assess.py"/>
        <location filename="../processing/assigncodes.py"/>
        <location filename="../processing/exportregister.py"/>
        <source>The grid layer is empty; choose a layer with grid polygons.</source>
        <translation>网格图层为空；请选择包含网格面的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The grid layer is empty; choose a polygon layer with features.</source>
        <translation>网格图层为空；请选择含有要素的面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <location filename="../processing/multilevel.py"/>
        <source>The grid layer is empty; choose the finest grids to nest.</source>
        <translation>网格图层为空；请选择要嵌套的末级网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The grid layer is in a geographic CRS ({crs}); areas and compactness need metres. Save it in a projected CRS such as CGCS2000 / 3-degree Gauss-Kruger (EPSG:4534–4554).</source>
        <translation>网格图层使用地理坐标系（{crs}）；面积和紧凑度需要以米为单位。请另存为投影坐标系，例如 CGCS2000 / 3 度高斯-克吕格（EPSG:4534–4554）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/boundary_description.py"/>
        <source>The grid layer is in a geographic CRS ({crs}); reproject it to a metric CRS first.</source>
        <translation>网格图层使用地理坐标系（{crs}）；请先投影到以米为单位的坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/assigncodes.py"/>
        <source>The grid layer is in a geographic CRS ({crs}); row bands are measured in degrees.</source>
        <translation>网格图层使用地理坐标系（{crs}）；行带高度以度为单位。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The grid layer must hold polygons.</source>
        <translation>网格图层必须是面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The grid layer {layer} has no CRS; set its CRS first.</source>
        <translation>网格图层 {layer} 没有坐标系；请先设置坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The grid layer {layer} has no code field; choose the field that holds the grid codes.</source>
        <translation>网格图层 {layer} 没有编码字段；请选择存放网格编码的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The grid layer {layer} has no features with a geometry.</source>
        <translation>网格图层 {layer} 中没有带几何的要素。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The grid layer {layer} has no features; choose a layer with grid polygons.</source>
        <translation>网格图层 {layer} 没有要素；请选择包含网格多边形的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The grid layer {layer} is chosen as the unit layer too; choose the units (the partition's units output), or no unit layer to build units from the buildings.</source>
        <translation>网格图层 {layer} 同时被选为单元图层；请选择单元图层（网格划分输出的单元），或不选单元图层以根据建筑自动生成单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The grid layer {layer} must hold polygons.</source>
        <translation>网格图层 {layer} 必须是多边形图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/unit_builder.py"/>
        <source>The grid layer {name} has no unit layer: choose its units, or choose a building layer (with households) so the panel can build units inside each grid.</source>
        <translation>网格图层 {name} 没有单元图层：请选择其单元图层，或选择建筑图层（含户数），由面板在每个网格内生成单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The grids are in a geographic CRS; areas are measured in {crs}.</source>
        <translation>网格为地理坐标系；面积在 {crs} 中量算。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The grids are in geographic coordinates; the map uses {crs}.</source>
        <translation>网格使用地理坐标；地图采用 {crs}。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>The grids are in {source}; areas and lengths are measured in {target}.</source>
        <translation>网格坐标系为 {source}；面积和长度在 {target} 中计算。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>The grids have no field {field}; the load is summed from the buildings ({source}).</source>
        <translation>网格没有字段 {field}；负荷由建筑汇总（{source}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The grids {codes} could not be re-partitioned ({reason}); they are kept as they were.</source>
        <translation>网格 {codes} 无法重新划分（{reason}）；已保持原样。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>The grids' units; leave empty to build units inside each grid from the buildings (and barriers)</source>
        <translation>网格的单元；留空则根据建筑（及阻隔线）在每个网格内自动生成单元</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>The group sizes '{text}' are not a list of numbers of 1 or more, e.g. 8,24.</source>
        <translation>分组大小“{text}”不是由不小于 1 的数组成的列表，例如 8,24。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The heatmap raster could not be read; choose a readable raster.</source>
        <translation>无法读取热力图栅格；请选择可读取的栅格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The households field {field} has {text} text and {negative} negative values; they were replaced by the estimate from footprint and levels. Check these buildings.</source>
        <translation>户数字段 {field} 中有 {text} 个文本值和 {negative} 个负值；已用按占地面积和层数估算的户数替代。请核查这些建筑。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The households field {field} holds text, not numbers (e.g. {example}); choose a numeric field or convert it with the field calculator (to_int).</source>
        <translation>户数字段 {field} 中是文本而不是数字（例如 {example}）；请选择数值字段，或用字段计算器（to_int）转换。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The households field {field} is not in the building layer; its fields are: {fields}.</source>
        <translation>建筑图层中没有户数字段 {field}；该图层的字段有：{fields}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>The input file {path} does not exist.</source>
        <translation>输入文件 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <source>The land mode '{mode}' is unknown; use one of {modes}.</source>
        <translation>用地处理方式“{mode}”未知；请使用 {modes} 之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/raster_stats.py"/>
        <source>The land-cover raster {name} does not cover any grid (raster extent {extent} in {crs}); choose a raster that covers the grids or check that its CRS is right.</source>
        <translation>土地覆盖栅格 {name} 未覆盖任何网格（栅格范围 {extent}，坐标系 {crs}）；请选择覆盖网格的栅格，或检查其坐标系是否正确。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/evidence.py"/>
        <source>The land-use layer is empty; it adds no evidence.</source>
        <translation>用地图层为空，不提供任何依据。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The largest dwelling footprint must be greater than 0 m² (got {value}).</source>
        <translation>最大住宅占地面积必须大于 0 ㎡（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>The layer has no coordinate reference system; assign one (e.g. EPSG:4326) first.</source>
        <translation>该图层没有坐标参考系；请先为其指定一个（如 EPSG:4326）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>The layer {layer} has no field for {role}; name the field in the parameters.</source>
        <translation>图层 {layer} 中没有用于{role}的字段；请在参数中指定字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <location filename="../grid_plugin/core/classify/lookup.py"/>
        <source>The layer {layer} has no field {field}; choose one of: {fields}.</source>
        <translation>图层 {layer} 没有字段 {field}；请从以下字段中选择：{fields}。</translation>
    </message>
    <message>
        <location filename="../processing/guards.py"/>
        <source>The layer {layer} in {path} is replaced; the other layers are kept.</source>
        <translation>{path} 中的图层 {layer} 被替换；其他图层保留。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/unit_builder.py"/>
        <source>The layer {name} ({crs}) is not in the CRS of the grids ({grid_crs}); save it in one CRS.</source>
        <translation>图层 {name}（{crs}）与网格的坐标系（{grid_crs}）不一致；请保存为同一坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>The layer {name} has no coordinate reference system; assign one (e.g. EPSG:4326) first.</source>
        <translation>图层 {name} 没有坐标参考系；请先为其指定一个（如 EPSG:4326）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/geometry.py"/>
        <source>The layer {name} has no coordinate reference system; set its CRS (Layer Properties ▸ Source) and run again.</source>
        <translation>图层 {name} 没有坐标参考系；请设置其坐标系（图层属性 ▸ 源）后重新运行。</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>The layer {name} has no coordinate reference system; set its CRS and run again.</source>
        <translation>图层 {name} 没有坐标参考系；请设置其坐标系后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>The layer {name} has no coordinate reference system; set one in its properties.</source>
        <translation>图层 {name} 没有坐标参考系；请在图层属性中设置。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The layer {name} has no field {field}; choose the field that holds the numbers (e.g. households).</source>
        <translation>图层 {name} 没有字段 {field}；请选择存放数值的字段（如 households 户数）。</translation>
    </message>
    <message>
        <location filename="../processing/guards.py"/>
        <source>The layer {name} has no geometries (a table); choose a layer with geometries.</source>
        <translation>图层 {name} 没有几何（是一张表）；请选择带几何的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The layer {name} holds {kinds}; it needs {needed}. Choose another layer.</source>
        <translation>图层 {name} 存放的是{kinds}，此处需要{needed}。请选择其他图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/geometry.py"/>
        <source>The layer {name} holds {n} features that are not polygons; they were skipped.</source>
        <translation>图层 {name} 中有 {n} 个要素不是面，已跳过。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The layer {name} is empty; choose a layer with features.</source>
        <translation>图层 {name} 为空；请选择含有要素的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/compare.py"/>
        <source>The layer {name} is empty; choose a layer with grid polygons.</source>
        <translation>图层 {name} 为空；请选择包含网格面的图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>The layer {name} is in a geographic CRS ({crs}); areas and lengths need metres. Reproject it to a projected CRS (e.g. a CGCS2000 Gauss–Krüger zone, EPSG:4534–4554).</source>
        <translation>图层 {name} 使用地理坐标系（{crs}）；面积和长度需要以米为单位。请将其重投影到投影坐标系（例如 CGCS2000 高斯-克吕格分带，EPSG:4534–4554）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>The layer {name} is in a geographic CRS ({crs}); measuring in {local} instead.</source>
        <translation>图层 {name} 为地理坐标系（{crs}）；改用 {local} 进行量测。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The layer {name} is in a geographic CRS ({crs}); reproject it to a projected CRS in metres.</source>
        <translation>图层 {name} 使用地理坐标系（{crs}）；请将其重投影到以米为单位的投影坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>The layer {name} is in the geographic CRS {source}; reprojected it to {target}.</source>
        <translation>图层 {name} 使用地理坐标系 {source}；已将其重投影到 {target}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>The layers are in different CRSs ({details}); reproject them to one CRS or choose a target CRS so they are reprojected for you.</source>
        <translation>各图层的坐标系不一致（{details}）；请将它们重投影到同一坐标系，或选择目标坐标系以自动重投影。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The layers were saved or rolled back; reload the panel before editing.</source>
        <translation>图层已保存或回滚；请重新载入面板后再编辑。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The layers {a} and {b} are in different CRSs; reproject them to one CRS.</source>
        <translation>图层 {a} 与 {b} 的坐标系不同；请将它们重投影到同一坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>The layers {names} have no coordinate reference system; assign one first.</source>
        <translation>图层 {names} 没有坐标参考系；请先为其指定坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The levels field {field} holds text, not numbers (e.g. {example}); choose a numeric field or convert it with the field calculator (to_real).</source>
        <translation>层数字段 {field} 中是文本而不是数字（例如 {example}）；请选择数值字段，或用字段计算器（to_real）转换。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The levels field {field} is not in the building layer; its fields are: {fields}.</source>
        <translation>建筑图层中没有层数字段 {field}；该图层的字段有：{fields}。</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>The load expression {expression} failed: {error}.</source>
        <translation>负荷表达式 {expression} 计算失败：{error}。</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>The load expression {expression} gives {n} values that are not numbers (e.g. {examples}); use a numeric field such as households, or correct the values.</source>
        <translation>负荷表达式 {expression} 有 {n} 个值不是数字（例如 {examples}）；请使用数值字段（如 households），或更正这些值。</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>The load expression {expression} is not valid: {error}. Use a field name or e.g. households + 3 * shops.</source>
        <translation>负荷表达式 {expression} 无效：{error}。请使用字段名或如 households + 3 * shops 的表达式。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <location filename="../grid_plugin/gui/unit_builder.py"/>
        <source>The load field {field} of {layer} is not numeric; choose a field of numbers.</source>
        <translation>{layer} 的负荷字段 {field} 不是数值型；请选择数值字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/exporter.py"/>
        <source>The map uses OpenStreetMap data; its licence asks for the credit © OpenStreetMap contributors.</source>
        <translation>地图使用了 OpenStreetMap 数据；其许可要求注明“© OpenStreetMap contributors”。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/mapping_table.py"/>
        <source>The mapping table {path} does not exist; choose a CSV file or one of the shipped tables: {names}.</source>
        <translation>对照表 {path} 不存在；请选择 CSV 文件或以下内置对照表之一：{names}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/mapping_table.py"/>
        <source>The mapping table {path} has unknown grid types (line:value) {lines}; use one of {codes} or ignore.</source>
        <translation>对照表 {path} 中有未知的网格类型（行:值）{lines}；请使用 {codes} 之一或 ignore。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/mapping_table.py"/>
        <source>The mapping table {path} needs the columns value and grid_type (and optionally key, priority, weight, name_zh, name_en).</source>
        <translation>对照表 {path} 需要 value 和 grid_type 列（可选 key、priority、weight、name_zh、name_en 列）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The match distance must be 0 m or more (got {value}).</source>
        <translation>匹配距离必须不小于 0 米（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>The minimum footprint must be 0 m² or more (got {value}).</source>
        <translation>最小占地面积必须不小于 0 平方米（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The minimum grid area ({low} m²) is above the maximum ({high} m²); swap or clear them.</source>
        <translation>网格最小面积（{low} 平方米）大于最大面积（{high} 平方米）；请交换或清除。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>The name table {path} has no column pattern; give a UTF-8 CSV with the columns pattern, language.</source>
        <translation>名称表 {path} 没有 pattern 列；请提供含 pattern、language 列的 UTF-8 CSV。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The number of grids must be at least 1.</source>
        <translation>网格数量至少为 1。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/graph.py"/>
        <source>The number of parts must be at least 1 (got {n}).</source>
        <translation>分区数量至少为 1（当前为 {n}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/compare.py"/>
        <source>The old plan has no load field {field} and no buildings were given; give buildings or the plans' load field to count the households that move.</source>
        <translation>原方案没有负荷字段 {field}，也没有给出建筑；请给出建筑或方案的负荷字段以统计迁移户数。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The output folder {folder} could not be created ({reason}); choose another folder.</source>
        <translation>无法创建输出文件夹 {folder}（{reason}）；请选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/gpkg.py"/>
        <source>The output folder {folder} does not exist; create it or choose another.</source>
        <translation>输出文件夹 {folder} 不存在；请创建它或另选文件夹。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The output folder {folder} is not writable ({reason}); choose another folder.</source>
        <translation>输出文件夹 {folder} 不可写（{reason}）；请选择其他文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>The output layer could not be created; choose another destination.</source>
        <translation>无法创建输出图层；请选择其他输出位置。</translation>
    </message>
    <message>
        <location filename="../processing/guards.py"/>
        <source>The output {output} is the file {path}, which the input {input} is read from; writing it would replace the whole file and every layer in it. Choose a new file, or a new layer inside it (in the output's options: save to GeoPackage, with a new layer name).</source>
        <translation>输出“{output}”是文件 {path}，而输入“{input}”正是从该文件读取；写入会替换整个文件及其中所有图层。请选择新文件，或在其中新建一个图层（在输出选项中选择保存到 GeoPackage，并填写新的图层名）。</translation>
    </message>
    <message>
        <location filename="../processing/guards.py"/>
        <source>The output {output} would replace the layer {layer} in {path}, which the input {input} is read from. Give the output layer a new name.</source>
        <translation>输出“{output}”会替换 {path} 中的图层 {layer}，而输入“{input}”正是从该图层读取。请为输出图层另起一个名称。</translation>
    </message>
    <message>
        <location filename="../processing/guards.py"/>
        <source>The output {path} could not be replaced ({reason}); close it in other programs and run again.</source>
        <translation>无法替换输出 {path}（{reason}）；请在其他程序中关闭该文件后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/gpkg.py"/>
        <source>The output {path} must be a GeoPackage file ending in .gpkg.</source>
        <translation>输出 {path} 必须是以 .gpkg 结尾的 GeoPackage 文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The overlap rule {value} is not known; use priority or union.</source>
        <translation>未知的重叠规则 {value}；请使用 priority 或 union。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>The parent boundary cuts {n} buildings (parents {parents}): no grid can hold them whole, so they are not counted as cut by the plan. Correct the parent layer so that its boundaries go round buildings.</source>
        <translation>上级区划边界穿过 {n} 栋建筑（上级 {parents}）：任何网格都无法整栋容纳，这些建筑不计为方案切割的建筑。请修正上级区划图层，使其边界绕开建筑。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The parent code {code} of feature {feature} is not a division code. A parent code is the 12-digit 统计用区划代码 (county 6 + township 3 + community/village 3, e.g. 440307015001); a township code (9 digits, or 12 ending in 000), a county code (6 digits, or 12 ending in 000000) or a 3-digit community code is completed with the county, township and community codes given.</source>
        <translation>要素 {feature} 的上级编码 {code} 不是区划代码。上级编码应为 12 位统计用区划代码（县级 6 位 + 乡镇 3 位 + 社区/村 3 位，如 440307015001）；乡镇代码（9 位，或以 000 结尾的 12 位）、县级代码（6 位，或以 000000 结尾的 12 位）或 3 位社区代码将以给定的县级、乡镇和社区代码补全。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layer and the group sizes make {n} levels above the grids, but the 15-digit grid code has room for two (township, community). Over a community layer (12-digit codes) leave the group sizes empty; over a township layer (9-digit codes) give one group size.</source>
        <translation>上级图层与分组大小在网格之上共构成 {n} 个层级，但 15 位网格编码只能容纳两个（乡镇、社区）。上级为社区图层（12 位代码）时，分组大小请留空；上级为乡镇图层（9 位代码）时，请只给一个分组大小。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layer does not cover the area: {m2:.0f} m² of {n} grids lie outside it (e.g. {codes}). Extend the parent layer (or clip the grids to it) so that every grid has a parent; nothing was written.</source>
        <translation>上级图层未覆盖整个区域：{n} 个网格共 {m2:.0f} 平方米位于其外（如 {codes}）。请扩展上级图层（或将网格裁剪到其范围内），使每个网格都有上级；未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The parent layer has neither a code nor a name field (looked for {guesses}); choose its code and name fields.</source>
        <translation>上级图层既没有代码字段也没有名称字段（查找了 {guesses}）；请选择其代码和名称字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>The parent layer has no coordinate reference system; assign one first.</source>
        <translation>上级图层没有坐标参考系；请先为其指定坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>The parent layer has no field {field}; choose its code field.</source>
        <translation>上级单元图层没有字段 {field}；请选择其编码字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layer of level {level} and the grids are in different CRSs; reproject one of them.</source>
        <translation>第 {level} 级的上级图层与网格的坐标系不同；请重投影其中之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layer of level {level} has no field {field}.</source>
        <translation>第 {level} 层的上级图层没有字段 {field}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layer of level {level} is empty.</source>
        <translation>第 {level} 级的上级图层为空。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layer of level {level} is the community tier: its codes must be 12-digit community or village codes (e.g. 440307015001) or 3-digit ones completed by the county and township given. {n} are not, e.g. {examples} (code (feature)).</source>
        <translation>第 {level} 层的上级图层处于社区层级：其编码必须是 12 位社区或村代码（如 440307015001），或以给定县级和乡镇代码补全的 3 位代码。有 {n} 个不符合，如 {examples}（编码（要素））。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layer of level {level} is the township tier: its codes must be 9-digit township codes (e.g. 440307015, or 440307015000) or 3-digit ones completed by the county given. {n} are not, e.g. {examples} (code (feature)).</source>
        <translation>第 {level} 层的上级图层处于乡镇层级：其编码必须是 9 位乡镇代码（如 440307015 或 440307015000），或以给定县级代码补全的 3 位代码。有 {n} 个不符合，如 {examples}（编码（要素））。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>The parent layers of levels {upper} and {lower} do not nest: a level-{lower} parent spans two level-{upper} parents.</source>
        <translation>第 {upper} 级与第 {lower} 级的上级图层不能嵌套：某个第 {lower} 级单元跨越了两个第 {upper} 级单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The parent {prefix} has used every {digits}-digit serial; renumber the plan with gridplanner:assigncodes before re-gridding.</source>
        <translation>上级 {prefix} 的 {digits} 位顺序号已全部用完；请先用 gridplanner:assigncodes 重新编码，再进行调整。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The pattern {pattern} is not a valid regular expression ({reason}); correct it, e.g. ^[0-9]+$ for digits.</source>
        <translation>模式 {pattern} 不是有效的正则表达式（{reason}）；请更正，例如 ^[0-9]+$ 表示全为数字。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The plan has no field '{field}' marking locked grids.</source>
        <translation>方案中没有标记锁定网格的字段“{field}”。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The plan has no field '{field}' with the grid codes; choose the code field or code the plan first.</source>
        <translation>方案中没有存放网格编码的字段“{field}”；请选择编码字段，或先为方案编码。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>The planning area is empty; check the boundary (and that it overlaps the data).</source>
        <translation>规划范围为空；请检查边界（以及它是否与数据重叠）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll file {path} does not exist; choose an existing CSV or XLSX file.</source>
        <translation>台账文件 {path} 不存在；请选择已有的 CSV 或 XLSX 文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll file {path} has no rows; choose a file with one row per building.</source>
        <translation>台账文件 {path} 没有数据行；请选择每栋楼一行的文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll file {path} is neither CSV nor XLSX; save it as CSV (UTF-8 or GBK) or XLSX.</source>
        <translation>台账文件 {path} 既不是 CSV 也不是 XLSX；请另存为 CSV（UTF-8 或 GBK）或 XLSX。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll has neither an id/address column matching a building field nor coordinates; give the building field and the roll's id column, or the roll's x/y columns.</source>
        <translation>台账既没有可与建筑字段匹配的编号/地址列，也没有坐标；请给出建筑字段和台账编号列，或台账的 X/Y 列。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll has no column {column}; its columns are: {columns}.</source>
        <translation>台账没有列 {column}；其列有：{columns}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll has no records; choose a roll with one row per building.</source>
        <translation>台账没有记录；请选择每栋楼一行的台账。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll replaces the estimate of {n} buildings: {before} households estimated, {after} in the roll.</source>
        <translation>台账替换了 {n} 栋建筑的估算户数：估算 {before} 户，台账 {after} 户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>The roll's coordinates look like longitude/latitude; they are read as CGCS2000 (EPSG:4490). Coordinates copied from a Chinese web map (GCJ-02) are hundreds of metres off; convert them first.</source>
        <translation>台账坐标看起来是经纬度，按 CGCS2000（EPSG:4490）读取。从国内网络地图复制的坐标（GCJ-02）会偏差数百米，请先转换。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>The rule table {source} has no row with the role 'residential'; add one (the base partition).</source>
        <translation>规则表 {source} 中没有角色为“residential”的行；请添加一行（基础划分）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>The rule table {source} has two rows for the grid type '{code}'; keep one row per type.</source>
        <translation>规则表 {source} 中网格类型“{code}”出现了两行；每种类型只保留一行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>The rule table {source} lacks the column(s) {missing}; start from the shipped grid_rules.csv.</source>
        <translation>规则表 {source} 缺少列 {missing}；请以自带的 grid_rules.csv 为基础修改。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/rules.py"/>
        <source>The rule table {source} may hold only one residential and one village row.</source>
        <translation>规则表 {source} 只能各有一行住宅和村庄规则。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/errors.py"/>
        <source>The run was cancelled; nothing was written.</source>
        <translation>运行已取消，未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>The selected grids do not form one connected piece; select adjacent grids.</source>
        <translation>所选网格不连成一片；请选择相邻的网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>The selected grids do not form one connected piece; select neighbouring grids.</source>
        <translation>所选网格不连成一片；请选择相邻的网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>The selection holds units that are not in the plan.</source>
        <translation>所选要素中有不属于本方案的单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/batch.py"/>
        <source>The subdistrict name {name} appears twice in {path}.</source>
        <translation>街道名称 {name} 在 {path} 中出现了两次。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The table {path} could not be read ({reason}).</source>
        <translation>无法读取表格 {path}（{reason}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The table {path} does not exist; choose an existing CSV file.</source>
        <translation>表格 {path} 不存在；请选择已有的 CSV 文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The table {path} is not a CSV text file ({kind}); save it as CSV (UTF-8 or GBK) from your spreadsheet and choose that file.</source>
        <translation>表格 {path} 不是 CSV 文本文件（{kind}）；请在电子表格软件中另存为 CSV（UTF-8 或 GBK）后选择该文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>The table {path} is not a readable CSV file ({reason}).</source>
        <translation>表格 {path} 不是可读取的 CSV 文件（{reason}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>The target CRS {crs} is geographic (degrees); areas and distances need metres. Choose a projected CRS such as a CGCS2000 Gauss-Kruger zone (EPSG:4534-4554) or UTM, or leave the target CRS empty to choose one automatically.</source>
        <translation>目标坐标系 {crs} 是地理坐标系（单位为度），而面积和距离需要以米计。请选择投影坐标系，如 CGCS2000 高斯-克吕格投影带（EPSG:4534-4554）或 UTM，或将目标坐标系留空以自动选择。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>The target CRS {crs} is not in metres ({units}); choose a projected CRS in metres.</source>
        <translation>目标坐标系 {crs} 的单位不是米（{units}）；请选择以米为单位的投影坐标系。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/graph.py"/>
        <source>The target load must be a number greater than 0 (got {value}).</source>
        <translation>目标负荷必须是大于 0 的数（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/metrics.py"/>
        <source>The target load must be a positive number (got {value}).</source>
        <translation>目标负荷必须为正数（当前为 {value}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>The target load must be a positive number of households.</source>
        <translation>目标负荷必须是正的户数。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The target load must be greater than 0 (for example 400 households).</source>
        <translation>目标负荷必须大于 0（例如 400 户）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The threshold {name} is {value}; give a number of 0 or more.</source>
        <translation>阈值 {name} 为 {value}；请填写不小于 0 的数。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>The threshold {name} is {value}; give a share between 0 and 1 (e.g. 0.5 for 50%).</source>
        <translation>阈值 {name} 为 {value}；请填写 0 到 1 之间的比例（如 0.5 表示 50%）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>The time window starts ({start}) after it ends ({end}); swap the dates.</source>
        <translation>时间范围的起始（{start}）晚于截止（{end}）；请交换两个日期。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The tolerance must be between 0 and 1 (0.2 means ±20%).</source>
        <translation>容差必须在 0 到 1 之间（0.2 表示 ±20%）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/engine.py"/>
        <source>The total load ({total}) is below the target ({target}); each parent becomes one grid, flagged.</source>
        <translation>总负荷（{total}）低于目标值（{target}）；每个上级单元成为一个网格，并已标记。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>The township code {value} must have exactly 3 digits; enter a code such as 015.</source>
        <translation>乡镇代码 {value} 必须正好为 3 位数字；请输入如 015 的代码。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/kde.py"/>
        <source>The triangular kernel's decay must lie between 0 and 1 (got {decay}).</source>
        <translation>三角核的衰减比必须在 0 到 1 之间（当前为 {decay}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The unit layer {layer} has no field naming each unit's grid (grid_code or grid_id); is it the unit layer? Choose the units, or no unit layer to build units from the buildings.</source>
        <translation>单元图层 {layer} 没有记录所属网格的字段（grid_code 或 grid_id）；它是单元图层吗？请选择单元图层，或不选单元图层以根据建筑自动生成单元。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The unit layer {layer} has no load field (households); choose the field with the load.</source>
        <translation>单元图层 {layer} 没有负荷字段（户数）；请选择存放负荷的字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>The weight field {field} holds negative values; weights must be 0 or more.</source>
        <translation>权重字段 {field} 含有负值；权重必须大于或等于 0。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The {name} layer ({crs}) was reprojected to the CRS of the area ({target}).</source>
        <translation>{name} 图层（{crs}）已重投影到区域的坐标系（{target}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>The {name} layer has no CRS; assign the CRS its coordinates are in and run again.</source>
        <translation>{name} 图层没有坐标参考系；请指定其坐标所用的坐标系后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The {role} layer {name} cannot be edited; save it as a GeoPackage first.</source>
        <translation>{role}图层 {name} 不可编辑；请先另存为 GeoPackage。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The {role} layer {name} is empty.</source>
        <translation>{role}图层 {name} 为空。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>The {role} layer {name} must hold polygons.</source>
        <translation>{role}图层 {name} 必须是面图层。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/dates.py"/>
        <source>The {what} '{value}' is not a date Grid Planner can read; write it like 2023-05-01, 2023/5/1 8:00 or 2023年5月1日.</source>
        <translation>{what}“{value}”不是可识别的日期；请写成 2023-05-01、2023/5/1 8:00 或 2023年5月1日 等形式。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/raster_stats.py"/>
        <source>The {what} {name} could not be opened ({reason}); choose a raster file GDAL can read.</source>
        <translation>无法打开{what} {name}（{reason}）；请选择 GDAL 可读取的栅格文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/raster_stats.py"/>
        <source>The {what} {name} could not be opened; choose a raster file GDAL can read.</source>
        <translation>无法打开{what} {name}；请选择 GDAL 可读取的栅格文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/raster_stats.py"/>
        <source>The {what} {name} has no coordinate reference system; assign one (Raster ▸ Projections ▸ Assign) and run again.</source>
        <translation>{what} {name} 没有坐标参考系；请为其指定坐标系（栅格 ▸ 投影 ▸ 指定投影）后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/raster_stats.py"/>
        <source>The {what} {name} is rotated; warp it to a north-up raster (gdalwarp) first.</source>
        <translation>{what} {name} 带有旋转；请先用 gdalwarp 重采样为正北朝上的栅格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>These grids are as balanced as their units allow; nothing to change.</source>
        <translation>在现有单元条件下这些网格已尽可能均衡；无需调整。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>This edit would leave a gap of {area} m² (the grids hold land outside their units); fix the units first or edit the grid outlines by hand.</source>
        <translation>此编辑会留下 {area} 平方米的空隙（网格含有单元之外的用地）；请先修正单元，或手工编辑网格边界。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>To, inclusive (e.g. 2023-05-31 is the whole day; empty: no limit)</source>
        <translation>截止日期（含当日，如 2023-05-31 包括整天；留空表示不限）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Tolerance (share of the target, 0.2 = ±20%)</source>
        <translation>容差（占目标值的比例，0.2 = ±20%）</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>Top grids in the chart</source>
        <translation>统计图中的前几名网格</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Total households</source>
        <translation>总户数</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Township or subdistrict code (3 digits, e.g. 015)</source>
        <translation>乡镇或街道代码（3 位，如 015）</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Triangular</source>
        <translation>三角核</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Triweight</source>
        <translation>三权核（Triweight）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_table.py"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Typed as housing: {n} buildings, {households} households.</source>
        <translation>类型为住房：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Typed as not housing (commercial, education, industrial, garage …): {n} buildings, {households} households.</source>
        <translation>类型为非住房（商业、教育、工业、车库……）：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Typed grids</source>
        <translation>分类型网格</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Types every grid of any polygon layer as residential, commercial, enterprise and institution, crowded place, village, industrial park, farmland, forest, pond and water, mountain, tidal flat or scenic area (or mixed / unknown), and records the evidence: the share of each class by area and by building floor area, the dominant share and the rule that decided. Give any of: a land-use layer with its class field (OSM tag fields, or GB/T 21010 codes such as 0702 / 07 / 农村宅基地) read through an editable mapping table; water polygons; buildings with a type field and floors; points of interest; a DEM (mean slope and relief, any CRS, geographic DEMs handled); a land-cover raster (NLCD, ESA WorldCover, CLCD or your own table). Decision order: specialised sites, crowded places (a crowded site's share of the grid, confirmed by POIs), rural housing (village: only where the settlement is rural — the parents' 城乡分类代码 says so or, without one, farmland, forest or open land surrounds it; the rule partitionbytype shares), building floor area, water, mountain slope, land use by area, mixed. A grid holding many households is never typed as land. Overlapping land-use polygons count once for the class of highest priority (or per class with the union rule). Class values missing from the table are reported with counts and classed unknown. The output is styled with the fixed grid-type palette.</source>
        <translation>将任意面图层中的每个网格划分为住宅、商务、企事业单位、人员密集场所、村庄、产业园区、农田、林地、坑塘水面、山地、滩涂或景区网格（或混合/未知），并记录依据：各类别的面积占比和建筑面积占比、主导占比以及作出判定的规则。可提供以下任意依据：带类别字段的用地图层（OSM 标签字段，或 GB/T 21010 编码，如 0702 / 07 / 农村宅基地），通过可编辑的对照表读取；水面；带类型与层数字段的建筑；兴趣点；DEM（平均坡度与高差，任意坐标系，支持地理坐标 DEM）；土地覆盖栅格（NLCD、ESA WorldCover、CLCD 或自定义对照表）。判定顺序：专属场所、人员密集场所（人员密集场所占网格的比例，并由兴趣点印证）、农村住房（村庄：只有居民点属于农村时——上级的城乡分类代码表明为乡村，或在没有代码时周边为农田、林地或空旷地；与按类型划分网格使用同一规则）、建筑面积、水面、山地坡度、用地面积、混合。户数多的网格不会被判为用地类网格。重叠的用地面按优先级最高的类别只计一次（或按类别取并集）。对照表中缺少的类别值会连同数量一并报告，并归为未知。输出按固定的网格类型配色设置样式。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>Unexpected error ({kind}: {reason}); nothing was written. Please report it with the log and the inputs.</source>
        <translation>意外错误（{kind}：{reason}）；未写出任何结果。请连同日志和输入数据一起报告。</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Uniform</source>
        <translation>均匀核</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Unit grid field</source>
        <translation>单元所属网格字段</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_form.py"/>
        <source>Unit layer (empty: build from buildings)</source>
        <translation>单元图层（留空：根据建筑生成）</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Units ({n} grids)</source>
        <translation>单元_{n}个网格</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Units ({target} households)</source>
        <translation>单元_{target}户</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/unit_builder.py"/>
        <source>Units of {name}</source>
        <translation>{name} 的单元</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>Unknown Shapefile encoding; choose GBK or UTF-8.</source>
        <translation>未知的 Shapefile 编码；请选择 GBK 或 UTF-8。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>Unknown hot spot value {value}; use one of {values}.</source>
        <translation>未知的冷热点分析对象 {value}；请使用 {values} 之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>Unknown household rule {rule} or dormitory mode {mode}; use {rules} and {modes}.</source>
        <translation>未知的住房规则 {rule} 或宿舍计法 {mode}；请使用 {rules} 和 {modes}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/kde.py"/>
        <source>Unknown kernel {kernel}; use one of {kernels}.</source>
        <translation>未知的核函数 {kernel}；请使用 {kernels} 之一。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/export/layout/mapdata.py"/>
        <source>Unknown paper size {paper}; choose A4, A3 or A1.</source>
        <translation>未知的纸张大小 {paper}；请选择 A4、A3 或 A1。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Untyped inside commercial, industrial, institutional or crowded-place land use: {n} buildings, {households} households.</source>
        <translation>未标注类型且位于商业、工业、机关单位或人员密集场所用地内：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Untyped with a footprint above the largest dwelling: {n} buildings, {households} households.</source>
        <translation>未标注类型且占地超过最大住宅：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Untyped with a shop, amenity, office, craft or industrial tag: {n} buildings, {households} households.</source>
        <translation>未标注类型但有商店、设施、办公、手工业或工业标签：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Untyped with the name of a non-residential place: {n} buildings, {households} households.</source>
        <translation>未标注类型且名称为非住宅场所：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/housing_evidence.py"/>
        <source>Untyped, no sign of another use, counted as housing: {n} buildings, {households} households.</source>
        <translation>未标注类型、无其他用途迹象，计为住房：{n} 栋建筑，{households} 户。</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Updated buildings (with households)</source>
        <translation>更新后的建筑（含户数）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>Updated in {ms:.0f} ms.</source>
        <translation>已更新，用时 {ms:.0f} 毫秒。</translation>
    </message>
    <message>
        <location filename="../processing/regrid.py"/>
        <source>Updates an existing grid plan for new buildings or household counts while changing as little as possible. Every grid whose load is still within the tolerance of the target (or that is locked) is kept with its geometry and code. Only neighbouring groups of grids out of tolerance are re-partitioned along roads and rivers; new grids are matched to the old codes by the households they share, extra grids get new serials above the highest serial ever used under the same 12-digit parent (a retired code is never reused). The plan's codes must be 15-digit grid codes (the parent's 12-digit 统计用区划代码 + a 3-digit serial, as gridplanner:partition and gridplanner:assigncodes write them). Outputs the new plan and a change table (kept / changed / new / retired, households moved in and out).</source>
        <translation>在建筑或户数变化后更新现有网格方案，并尽量少做改动。户数仍在目标容差范围内（或已锁定）的网格保留原有形状和编码；只有超出容差且相邻的网格组沿道路和河流重新划分；新网格按共有户数匹配原编码，多出的网格使用同一 12 位上级编码下高于历史最大值的新序号（停用的编码不再复用）。方案的编码须为 15 位网格编码（上级单元的 12 位统计用区划代码 + 3 位序号，即 gridplanner:partition 和 gridplanner:assigncodes 所写的编码）。输出新方案和变更表（保留/调整/新增/停用，迁入和迁出户数）。</translation>
    </message>
    <message>
        <location filename="../processing/multilevel.py"/>
        <source>Upper-level grids</source>
        <translation>上级网格</translation>
    </message>
    <message>
        <location filename="../processing/context_parameters.py"/>
        <source>Urban-rural code field of the parents (城乡分类代码: 1xx urban, 2xx rural)</source>
        <translation>上级的城乡分类代码字段（1xx 城镇，2xx 乡村）</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>Validate grid plan</source>
        <translation>检查网格方案</translation>
    </message>
    <message>
        <location filename="../processing/planreport.py"/>
        <source>Validates and assesses a grid plan and writes one report a planning office can file: the verdict on each of the four principles, the scorecard, charts (load histogram with the target band, deviation map, Lorenz curve of load with the Gini coefficient, compactness distribution, a summary per grid type), the list of problems and, when an old plan is given, the comparison with its change map. The HTML file is self-contained (images embedded) and opens offline; a PDF is printed with Chromium when it is installed. The report is in Chinese or English, whatever the language of QGIS.</source>
        <translation>检查并评估网格方案，生成一份可供规划部门存档的报告：四项原则的评价、评分表、图表（含目标容差带的负荷直方图、偏差图、负荷洛伦兹曲线及基尼系数、紧凑度分布、网格类型汇总）、问题清单，以及给出原方案时的方案对比和变化图。HTML 文件自包含（图片内嵌），可离线打开；安装了 Chromium 时同时打印为 PDF。报告语言可选中文或英文，与 QGIS 界面语言无关。</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Village linkage distance (m; 0: from the rule table)</source>
        <translation>自然村聚类距离（米；0：取规则表中的值）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Village rule: largest settlement that is a village (housing buildings; larger ones are towns)</source>
        <translation>村庄规则：可视为村庄的最大聚落（住宅建筑数；更大的为城镇）</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Village rule: maximum floor-area ratio of rural housing</source>
        <translation>村庄规则：农村住房的最大容积率</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Village rule: maximum mean floors of rural housing</source>
        <translation>村庄规则：农村住房的最大平均层数</translation>
    </message>
    <message>
        <location filename="../processing/context_parameters.py"/>
        <source>Village surroundings: least open share (0-1)</source>
        <translation>村庄周边：空旷地最低比例（0-1）</translation>
    </message>
    <message>
        <location filename="../processing/context_parameters.py"/>
        <source>Village surroundings: most urban land share (0-1)</source>
        <translation>村庄周边：城镇用地最高比例（0-1）</translation>
    </message>
    <message>
        <location filename="../processing/context_parameters.py"/>
        <source>Village surroundings: ring width (m)</source>
        <translation>村庄周边：环带宽度（米）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Water</source>
        <translation>水面</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Water (areas or rivers)</source>
        <translation>水系（水面或河流）</translation>
    </message>
    <message>
        <location filename="../processing/partitionbytype.py"/>
        <source>Water polygons</source>
        <translation>水面</translation>
    </message>
    <message>
        <location filename="../processing/classify.py"/>
        <source>Water polygons (counted as pond and water)</source>
        <translation>水面（计为坑塘水面）</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Waterways</source>
        <translation>水道</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>Weak classes (may split a heavy block)</source>
        <translation>弱边界类别（可用于拆分过重的街坊）</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>Weight field (e.g. severity; default 1 per incident)</source>
        <translation>权重字段（如严重程度；默认每个事件为 1）</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>Which buildings are homes</source>
        <translation>哪些建筑是住房</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>Without a boundary: grow (+) or shrink (-) the hull of the data by (m)</source>
        <translation>无边界时：将数据凸包外扩（+）或内缩（-）的距离（米）</translation>
    </message>
    <message>
        <location filename="../processing/exportregister.py"/>
        <source>Writes the grid register (网格台账) as an Excel workbook with one row per grid (code, name, type, community or village, households, population, buildings, area in m², boundaries (四至), grid leader, grid worker, phone, responsible unit; empty where the grid layer has no such field), a sheet of each grid's buildings when buildings are given, and a sheet that explains every column. Optionally also a Shapefile of the grids with the same columns, in GBK (what most Chinese desktop GIS expect) or UTF-8, with a .cpg naming the encoding and field names of at most 10 bytes (pinyin initials, listed in the explanation sheet), and a DXF drawing with the grid outlines on layer GRID_BOUNDARY and the codes as text on layer GRID_CODE, in the grids' CRS. Fields are found by their usual names (grid_code, grid_type, households, population, worker, phone …). With a parent layer (communities and villages) each grid's 所属社区/村 is its parent's name and code (matched by the grids' parent_code, else by overlap); without one the grids' parent_code is used. With buildings, 楼栋数 is counted and 户数 and 人口 are summed from the buildings' households and population where the grids have none. Sides of the 四至 on the plan's outer edge name the area's boundary (the area layer's name, else the name given); when the area layer is only the extent of the data they are left out, as on the map. The grid layer is not changed.</source>
        <translation>将网格台账写成 Excel 工作簿：每个网格一行（网格编码、网格名称、类型、所属社区/村、户数、人口、楼栋数、面积(平方米)、四至、网格长、网格员、联系电话、责任单位；网格图层没有相应字段时留空），给出楼栋时附楼栋清单工作表，并附字段说明工作表。还可同时输出：与台账字段相同的网格 Shapefile，默认 GBK 编码（多数国内桌面 GIS 的要求），也可选 UTF-8，附注明编码的 .cpg 文件，字段名不超过 10 个字节（拼音首字母，对照见字段说明工作表）；以及 DXF 图，网格边界在 GRID_BOUNDARY 图层、网格编码文字在 GRID_CODE 图层，坐标系与网格相同。字段按常用名称自动识别（grid_code、grid_type、households、population、worker、phone 等）。给出上级图层（社区、村）时，每个网格的所属社区/村为其上级的名称和代码（按网格的 parent_code 匹配，否则按所在位置）；不给上级图层时取网格的 parent_code。给出楼栋时，楼栋数按楼栋计数；网格没有户数、人口字段时，由楼栋的 households、population 汇总。四至中位于规划范围外缘的一侧写区域边界（区域图层的名称，否则所填名称）；区域图层只是数据范围时，这一侧不写，与公示图一致。不修改网格图层。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Wrote the atlas {path} ({pages} pages).</source>
        <translation>已写出分网格图 {path}（{pages} 页）。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>Wrote {path} ({pages} pages).</source>
        <translation>已写出 {path}（{pages} 页）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>an Excel workbook</source>
        <translation>Excel 工作簿</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>automatic, spatial Silverman rule</source>
        <translation>自动，空间 Silverman 规则</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>binary data or an unknown encoding</source>
        <translation>二进制数据或未知编码</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>block</source>
        <translation>街坊</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/validation.py"/>
        <source>borders a gap of {area} m²</source>
        <translation>紧邻 {area} 平方米的空隙</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>boundary</source>
        <translation>边界</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>building cell</source>
        <translation>建筑单元</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>building cut by the grid edge</source>
        <translation>建筑被网格边界切割</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <location filename="../processing/importroll.py"/>
        <location filename="../processing/prepareosm.py"/>
        <source>buildings</source>
        <translation>建筑</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>by buildings</source>
        <translation>按建筑</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>classes missing from the mapping table cover {pct}% of the grid; add them to the table</source>
        <translation>对照表中缺少的类别占网格面积的 {pct}%；请将其补入对照表</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>crowded places cover {pct}% of the grid and {n} crowded-place POIs score {score} (crowded rule: at least {min_pct}% and a score of {min})</source>
        <translation>人员密集场所占网格的 {pct}%，{n} 个人员密集场所兴趣点得分 {score}（人员密集规则：至少 {min_pct}% 且得分不少于 {min}）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>duplicate code</source>
        <translation>编码重复</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/validation.py"/>
        <source>empty grid</source>
        <translation>空网格</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <location filename="../processing/incidentstats.py"/>
        <source>end date</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>gap along the grid edge</source>
        <translation>网格边缘有缝隙</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <source>given</source>
        <translation>指定</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/outlines.py"/>
        <source>grid area above maximum</source>
        <translation>网格面积超过最大值</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>grid area above the maximum of its type</source>
        <translation>网格面积超过该类型上限</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/outlines.py"/>
        <source>grid area below minimum</source>
        <translation>网格面积低于最小值</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>grid crosses its parent boundary</source>
        <translation>网格跨越所属社区/村边界</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>grid in several parts</source>
        <translation>网格不连续（多块）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>grid overlaps another grid</source>
        <translation>网格与其他网格重叠</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>grid reaches outside the area</source>
        <translation>网格超出规划区域</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>grid with a hole no other grid fills</source>
        <translation>网格内有未被其他网格填充的孔洞</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <location filename="../processing/importroll.py"/>
        <source>households</source>
        <translation>户数</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/validation.py"/>
        <source>in {parts} pieces</source>
        <translation>分为 {parts} 块</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>invalid geometry</source>
        <translation>几何无效</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/outlines.py"/>
        <source>island load below target</source>
        <translation>飞地负荷低于目标</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/outlines.py"/>
        <source>island without load</source>
        <translation>无负荷的飞地</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>k = </source>
        <translation>k = </translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>lines</source>
        <translation>线</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <source>load</source>
        <translation>负荷</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/validation.py"/>
        <source>load {pct}% over target</source>
        <translation>负荷高于目标 {pct}%</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/validation.py"/>
        <source>load {pct}% under target</source>
        <translation>负荷低于目标 {pct}%</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>mean slope {slope}° and relief {relief} m (mountain rule: slope at least {min_slope}°, relief at least {min_relief} m)</source>
        <translation>平均坡度 {slope}°，高差 {relief} 米（山地规则：坡度不小于 {min_slope}°，高差不小于 {min_relief} 米）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>natural village above the village target but not above its maximum, kept whole</source>
        <translation>自然村户数高于村庄目标但未超过上限，保持完整</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>natural village below the village target, kept whole (one village, one grid)</source>
        <translation>自然村户数低于村庄目标，保持完整（一村一格）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>no class reaches its threshold; the largest is {cls} with {pct}% of the area</source>
        <translation>没有类别达到阈值；占比最大的是{cls}，占面积的 {pct}%</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>no land-use, building, POI or raster evidence in this grid</source>
        <translation>该网格内没有用地、建筑、兴趣点或栅格依据</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>only {cover}% of the grid has land-use evidence (at least {min}% needed to type it by land use)</source>
        <translation>网格内仅 {cover}% 的面积有用地依据（按用地分类至少需要 {min}%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/validation.py"/>
        <source>outline differs from its units by {area} m²</source>
        <translation>边界与其单元相差 {area} 平方米</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/validation.py"/>
        <source>overlaps grid {other} by {area} m²</source>
        <translation>与网格 {other} 重叠 {area} 平方米</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/outlines.py"/>
        <source>parent load below target</source>
        <translation>上级单元负荷低于目标</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>points</source>
        <translation>点</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>polygons</source>
        <translation>面</translation>
    </message>
    <message>
        <location filename="../processing/estimatehouseholds.py"/>
        <location filename="../processing/importroll.py"/>
        <source>population</source>
        <translation>人口</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>previous period end</source>
        <translation>上一时段截止日期</translation>
    </message>
    <message>
        <location filename="../processing/incidentstats.py"/>
        <source>previous period start</source>
        <translation>上一时段起始日期</translation>
    </message>
    <message>
        <location filename="../processing/prepareosm.py"/>
        <source>roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../processing/importroll.py"/>
        <source>roll</source>
        <translation>台账</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>rural housing holds {pct}% of the floor area: floor-area ratio {far}, {levels} floors on average (village rule)</source>
        <translation>农村住房占建筑面积的 {pct}%：容积率 {far}，平均 {levels} 层（村庄规则）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>settlement land covers {pct}% of the grid's mapped land; its housing is {cls} (floor-area ratio {far})</source>
        <translation>居住用地占网格已知用地的 {pct}%；住房属于{cls}（容积率 {far}）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/deps.py"/>
        <source>shapely uses GEOS {shapely_geos} but QGIS uses GEOS {qgis_geos}. Two GEOS libraries in one QGIS process can crash QGIS in some geometry operations. Install a shapely built against QGIS's GEOS:

{command}</source>
        <translation>shapely 使用的 GEOS 版本为 {shapely_geos}，而 QGIS 使用的是 GEOS {qgis_geos}。同一个 QGIS 进程中的两套 GEOS 库可能在某些几何运算中导致 QGIS 崩溃。请安装基于 QGIS 所用 GEOS 编译的 shapely：

{command}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/outlines.py"/>
        <source>single building above target</source>
        <translation>单栋建筑超过目标</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>site above its maximum load with no internal line to split it along</source>
        <translation>专属场所超过负荷上限，但内部没有可沿之划分的道路</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/grids.py"/>
        <source>site kept whole by its rule whatever the load</source>
        <translation>按规则专属场所无论负荷均为一个网格</translation>
    </message>
    <message>
        <location filename="../processing/incidentheatmap.py"/>
        <location filename="../processing/incidentstats.py"/>
        <source>start date</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>unit</source>
        <translation>单元</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/outlines.py"/>
        <source>units too coarse</source>
        <translation>单元过粗</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>{area_m2} m² of grid {grids} lies outside the planning area.</source>
        <translation>网格 {grids} 有 {area_m2} 平方米超出规划区域。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/validate.py"/>
        <source>{area_m2} m² of the area is covered by no grid.</source>
        <translation>区域内有 {area_m2} 平方米未被任何网格覆盖。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/graph.py"/>
        <source>{asked} parts were asked for but only {made} were made: some connected pieces have fewer units than the parts they were given (one part per unit there).</source>
        <translation>要求划分 {asked} 个分区，但只得到 {made} 个：部分连通片区的单元数少于分给它的分区数（这些片区每个单元一个分区）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>{cls} buildings hold {pct}% of the floor area (building rule: at least {min}%)</source>
        <translation>{cls}建筑占建筑面积的 {pct}%（建筑规则：不少于 {min}%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>{cls} covers {pct}% of the grid (site rule: at least {min}%)</source>
        <translation>{cls}占网格面积的 {pct}%（专属场所规则：不少于 {min}%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>{cls} covers {pct}% of the grid (water rule: at least {min}%)</source>
        <translation>{cls}占网格面积的 {pct}%（水面规则：不少于 {min}%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>{cls} covers {pct}% of the grid's mapped land, {cover}% of the grid is mapped (land-use rule: at least {min}%)</source>
        <translation>{cls}占网格已知用地的 {pct}%，网格 {cover}% 的面积有用地数据（用地规则：不少于 {min}%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>{code} → {load:.0f} ({dev:+.0f}%)</source>
        <translation>{code} → {load:.0f}（{dev:+.0f}%）</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm_area.py"/>
        <source>{count} polygons match the boundary name {name}: {matches}. Give the OSM id of the one you mean (e.g. relation/123) as the boundary name.</source>
        <translation>有 {count} 个多边形与边界名称 {name} 匹配：{matches}。请以所需边界的 OSM 编号（如 relation/123）作为边界名称。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/crs.py"/>
        <source>{crs} is not a coordinate reference system GDAL/PROJ knows; give an EPSG code such as EPSG:4547.</source>
        <translation>{crs} 不是 GDAL/PROJ 可识别的坐标参考系；请给出 EPSG 代码，如 EPSG:4547。</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>{errors} errors and {warnings} warnings in {n} grids.</source>
        <translation>{n} 个网格中有 {errors} 个错误、{warnings} 个警告。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>{field} is the feature id of a GeoPackage, an integer that GDAL assigns; it cannot hold grid codes. Choose another name, e.g. grid_code.</source>
        <translation>{field} 是 GeoPackage 的要素编号，是由 GDAL 分配的整数，不能存放网格编码。请另选名称，如 grid_code。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>{kind}: {buildings} buildings, {residential} residential, {households} households.</source>
        <translation>{kind}：{buildings} 栋建筑，其中住宅 {residential} 栋，共 {households} 户。</translation>
    </message>
    <message>
        <location filename="../processing/validate.py"/>
        <source>{kind}: {n}</source>
        <translation>{kind}：{n}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>{land} land by area, but {households} households live here (at least {min} make a settlement); its housing is {cls}</source>
        <translation>按面积为{land}，但有 {households} 户居住（{min} 户以上即为居民点）；其住房属于{cls}</translation>
    </message>
    <message>
        <location filename="../processing/base.py"/>
        <source>{missing} of the {given} barrier layers given could not be loaded; check their paths and layer names.</source>
        <translation>给定的 {given} 个障碍线图层中有 {missing} 个无法加载；请检查其路径和图层名。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>{n} buildings ({hh:.0f} households) lie outside every grid of the plan; they stay unassigned.</source>
        <translation>{n} 栋建筑（{hh:.0f} 户）不在方案的任何网格内；它们保持未分配。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{n} buildings are cut by grid edges.</source>
        <translation>{n} 栋建筑被网格边界切割。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <source>{n} buildings crossed by a grid edge were given whole to one grid.</source>
        <translation>{n} 栋被网格边界穿过的建筑已整栋划入一个网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>{n} buildings have a levels value that is not a number; the default levels are used for them.</source>
        <translation>{n} 栋建筑的层数不是数字；已对其使用默认层数。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>{n} buildings have no value in {field}; their households are estimated.</source>
        <translation>{n} 栋建筑在 {field} 中没有值；其户数为估算值。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>{n} buildings have several roll records (entrances or units); their numbers are added up.</source>
        <translation>{n} 栋建筑有多条台账记录（多个单元或门牌），其数字已相加。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <source>{n} buildings lie outside the area and belong to no grid.</source>
        <translation>{n} 栋建筑位于范围之外，不属于任何网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/engine.py"/>
        <source>{n} buildings lie outside the area and were left out (load {load}).</source>
        <translation>{n} 栋建筑位于区域外，未参与划分（负荷 {load}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/households.py"/>
        <source>{n} dormitories hold {households} collective households (集体户), not counted as family households.</source>
        <translation>{n} 栋宿舍共 {households} 个集体户，不计入家庭户。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>{n} features of the layer {name} have a negative {field} (e.g. {examples}); it cannot be negative. Correct them (0 for none) and run again.</source>
        <translation>图层 {name} 中有 {n} 个要素的 {field} 为负数（例如 {examples}）；该值不能为负。请更正（没有则填 0）后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>{n} features of the layer {name} have a {field} above {maximum:,.0f} (e.g. {examples}); no building holds that many. Correct the values (a unit or import error?) and run again.</source>
        <translation>图层 {name} 中有 {n} 个要素的 {field} 超过 {maximum:,.0f}（例如 {examples}）；没有建筑能容纳这么多。请更正这些值（是否单位或导入错误？）后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>{n} features of the layer {name} have no geometry; they were left out (e.g. feature ids {examples}).</source>
        <translation>图层 {name} 中有 {n} 个要素没有几何，已略去（例如要素编号 {examples}）。</translation>
    </message>
    <message>
        <location filename="../processing/exportmap.py"/>
        <source>{n} features of the layer {name} have no geometry; they were left out of the map, the table and the atlas (e.g. feature ids {examples}).</source>
        <translation>图层 {name} 中有 {n} 个要素没有几何，地图、表格和图集中已略去（例如要素编号 {examples}）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>{n} features of the layer {name} have no value in {field}; they count as 0.</source>
        <translation>图层 {name} 中有 {n} 个要素的 {field} 为空，按 0 计。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>{n} grid codes are not 15-digit grid codes (12-digit parent + 3-digit serial), e.g. {examples}. Code the grids with gridplanner:assigncodes first; nothing was written.</source>
        <translation>有 {n} 个网格编码不是 15 位网格编码（12 位上级编码 + 3 位序号），如 {examples}。请先用 gridplanner:assigncodes 为网格编码；未写出任何结果。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{n} grids are not one contiguous piece.</source>
        <translation>{n} 个网格不是连续的一整块。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{n} grids cross a parent boundary.</source>
        <translation>{n} 个网格跨越上级单元边界。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>{n} grids have no geometry; they get no incidents.</source>
        <translation>{n} 个网格没有几何图形，不计入任何事件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>{n} grids have no households (0 or empty); their rate per 1,000 households is empty.</source>
        <translation>{n} 个网格没有户数（为 0 或空），其每千户事件数为空。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>{n} grids have no neighbour ({contiguity} contiguity); their Gi* only compares the grid with itself.</source>
        <translation>{n} 个网格没有相邻网格（{contiguity} 邻接），其 Gi* 仅与自身比较。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>{n} grids have no polygon area (empty or not polygons); they are classed unknown.</source>
        <translation>{n} 个网格没有面面积（为空或不是面），已归为未知。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>{n} grids lie in no feature of the parent layer; their 所属社区/村 is left empty.</source>
        <translation>有 {n} 个网格不在上级图层的任何要素内；其所属社区/村留空。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>{n} grids of the plan have no code in '{field}'; code every grid (gridplanner:assigncodes) first.</source>
        <translation>方案中有 {n} 个网格在“{field}”中没有编码；请先为每个网格编码（gridplanner:assigncodes）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>{n} grids share a code with another grid; units go to the first of them.</source>
        <translation>{n} 个网格与其他网格编码重复；单元归入其中第一个。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/multilevel.py"/>
        <source>{n} grids straddle two parents (e.g. {codes}), so the levels cannot nest exactly. Partition the grids inside each parent (gridplanner:partition with the parent layer as the area) and run again.</source>
        <translation>{n} 个网格跨越两个上级（如 {codes}），层级无法严格嵌套。请在每个上级范围内划分网格（以上级图层为范围运行 gridplanner:partition）后再运行。</translation>
    </message>
    <message>
        <location filename="../processing/partition.py"/>
        <source>{n} grids written; {flagged} flagged; {outside} buildings outside the area.</source>
        <translation>已写出 {n} 个网格；{flagged} 个被标记；{outside} 栋建筑在区域外。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>{n} grids · mean load {mean:.0f} · CV {cv:.2f} · {out} outside ±{tol:.0f}%</source>
        <translation>{n} 个网格 · 平均负荷 {mean:.0f} · 变异系数 {cv:.2f} · {out} 个超出 ±{tol:.0f}%</translation>
    </message>
    <message>
        <location filename="../processing/assess.py"/>
        <source>{n} grids; coverage {coverage}%; {within}% within tolerance; load CV {cv}; {cut} cut buildings.</source>
        <translation>{n} 个网格；覆盖率 {coverage}%；容差内 {within}%；户数变异系数 {cv}；被切割建筑 {cut} 栋。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/graph.py"/>
        <source>{n} groups have a load that is not a finite number; check the load field for NaN or infinite values.</source>
        <translation>有 {n} 个分组的负荷不是有限数值；请检查负荷字段中的 NaN 或无穷大值。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>{n} incident geometries are not single points; their centroids are used.</source>
        <translation>{n} 个事件几何不是单点，使用其质心。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>{n} incidents have a date that could not be read (for example: {examples}); they are left out.</source>
        <translation>{n} 个事件的日期无法识别（例如：{examples}），未计入。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>{n} incidents have a date that could not be read (for example: {examples}); without a time window they are still counted, but not in the monthly chart.</source>
        <translation>{n} 个事件的日期无法识别（例如：{examples}）；未设时间范围，仍计入统计，但不计入逐月统计图。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>{n} incidents have no date and are outside any time window.</source>
        <translation>{n} 个事件没有日期，不在任何时间范围内。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/selection.py"/>
        <source>{n} incidents have no numeric weight and count with weight 0.</source>
        <translation>{n} 个事件没有数值权重，按权重 0 计。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>{n} incidents have no valid coordinates (empty, null, NaN or infinite) and are not counted.</source>
        <translation>{n} 个事件坐标无效（空、NULL、NaN 或无穷大），未计入。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/stats.py"/>
        <source>{n} incidents lie outside every grid; they are counted in the summary, not in any grid.</source>
        <translation>{n} 个事件位于所有网格之外；已计入汇总，未计入任何网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/incidents/heatmap.py"/>
        <source>{n} incidents lie outside the area and are not used.</source>
        <translation>{n} 个事件位于区域之外，未使用。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/evidence.py"/>
        <source>{n} land-use features have no class value; they were skipped.</source>
        <translation>{n} 个用地要素没有类别值，已跳过。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/inputs.py"/>
        <source>{n} loads are not a finite number of 0 or more (the first, number {index}, is {value}); fix or fill them (0 for none) and run again.</source>
        <translation>{n} 个负荷不是大于等于 0 的有限数（第一个为第 {index} 个，值为 {value}）；请修正或填写（没有则填 0）后重新运行。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/difference/driver.py"/>
        <source>{n} locked grids are kept exactly; the rest of the area is partitioned around them.</source>
        <translation>{n} 个锁定网格原样保留；其余区域围绕它们划分。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/editing/model.py"/>
        <source>{n} of the selected units do not touch grid {grid}, so it would fall apart; select units along its edge, or turn on repair.</source>
        <translation>所选单元中有 {n} 个与网格 {grid} 不相接，移入后网格会不连片；请选择其边缘的单元，或打开自动修复。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/engine.py"/>
        <source>{n} of {total} grids are outside ±{pct}% of the target; see flag_reason.</source>
        <translation>{total} 个网格中有 {n} 个超出目标的 ±{pct}%；见标记原因字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/regrid.py"/>
        <source>{n} pairs of locked grids overlap: {pairs}. Locked grids are kept exactly, so they must not overlap; correct them (e.g. with the snapping tools) and run again. Nothing was changed.</source>
        <translation>有 {n} 对锁定网格相互重叠：{pairs}。锁定网格须原样保留，因此不能重叠；请修正（例如使用捕捉工具）后再运行。未做任何更改。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/partition/coding.py"/>
        <source>{n} parent codes are not division codes, e.g. {examples} (code (feature)). A parent code is the 12-digit 统计用区划代码 (county 6 + township 3 + community/village 3, e.g. 440307015001); a township code (9 digits, or 12 ending in 000), a county code (6 digits, or 12 ending in 000000) or a 3-digit community code is completed with the county, township and community codes given. Fix the parent field or choose another one; nothing was written.</source>
        <translation>有 {n} 个上级编码不是区划代码，如 {examples}（编码（要素））。上级编码应为 12 位统计用区划代码（县级 6 位 + 乡镇 3 位 + 社区/村 3 位，如 440307015001）；乡镇代码（9 位，或以 000 结尾的 12 位）、县级代码（6 位，或以 000000 结尾的 12 位）或 3 位社区代码将以给定的县级、乡镇和社区代码补全。请修正上级编码字段或另选字段；未写出任何结果。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>{n} roll records ({households} households) match no building; they are left out. Rows: {examples}. Check their id, address or coordinates, or raise the match distance.</source>
        <translation>{n} 条台账记录（{households} 户）未匹配到任何建筑，未计入。行号：{examples}。请检查其编号、地址或坐标，或加大匹配距离。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>{n} roll records have no usable households or a negative number; they are left out. Rows: {examples}.</source>
        <translation>{n} 条台账记录的户数不可用或为负数，未计入。行号：{examples}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>{n} roll records match several buildings; each was given once, to the largest of them. Rows: {examples}. Give the buildings distinct ids to decide.</source>
        <translation>{n} 条台账记录匹配到多栋建筑；每条只计入一次，计入其中最大的一栋。行号：{examples}。请为这些建筑设置不同的编号以明确归属。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/rolls.py"/>
        <source>{n} roll rows repeat the id, numbers and point of an earlier row; each was counted once. Rows: {examples}.</source>
        <translation>{n} 行台账与前面某行的编号、数字和坐标完全相同，只计一次。行号：{examples}。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/publish/register.py"/>
        <source>{n} texts were longer than a Shapefile field holds (254 bytes) and were cut.</source>
        <translation>有 {n} 段文字超过 Shapefile 字段长度（254 字节），已截断。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{n} typed grids break their type's rule.</source>
        <translation>{n} 个已分类网格不符合其类型规则。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_session.py"/>
        <source>{n} units name no grid of the grid layer; they stay outside every grid.</source>
        <translation>{n} 个单元所指的网格不在网格图层中；它们不属于任何网格。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/gui/editing_panel.py"/>
        <source>{n} units selected, load {load:.0f}, in grid {grids}</source>
        <translation>已选 {n} 个单元，负荷 {load:.0f}，所在网格 {grids}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/inputs.py"/>
        <source>{n} values of the field {field} in the layer {name} are not numbers (e.g. {examples}); correct them or choose a numeric field.</source>
        <translation>图层 {name} 的字段 {field} 中有 {n} 个值不是数字（例如 {examples}）；请更正，或选择数值字段。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/classify/engine.py"/>
        <source>{n} {source} features have class values missing from the mapping table (value (count)): {values}. They are classed unknown, not dropped; add the values to a copy of the table to type them.</source>
        <translation>{source} 中有 {n} 个要素的类别值不在对照表中（值（数量））：{values}。这些要素归为未知而不会被丢弃；请把这些值补入对照表副本后再分类。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>{path} is a folder, not an OSM file; choose a .osm, .osm.gz or .osm.pbf file.</source>
        <translation>{path} 是文件夹而不是 OSM 文件；请选择 .osm、.osm.gz 或 .osm.pbf 文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/prepare/osm.py"/>
        <source>{path} is not an OpenStreetMap file; choose a .osm, .osm.gz or .osm.pbf file.</source>
        <translation>{path} 不是 OpenStreetMap 文件；请选择 .osm、.osm.gz 或 .osm.pbf 文件。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{principle}: {verdict}</source>
        <translation>{principle}：{verdict}</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{value}% of grids have a known type.</source>
        <translation>{value}% 的网格有明确类型。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{value}% of the {n} grids balanced by households are within the tolerance of their type's target ({targets}) (goal {limit}%).</source>
        <translation>按户数均衡的 {n} 个网格中 {value}% 在其类型目标户数的容差以内（{targets}）（要求 {limit}%）。</translation>
    </message>
    <message>
        <location filename="../grid_plugin/core/assess/scorecard.py"/>
        <source>{value}% of the {n} grids balanced by households are within ±{tolerance}% of the target {target} (goal {limit}%).</source>
        <translation>按户数均衡的 {n} 个网格中 {value}% 在目标 {target} 户的 ±{tolerance}% 以内（要求 {limit}%）。</translation>
    </message>
    <message>
        <location filename="../processing/deviation_style.py"/>
        <source>−{double}% … −{single}% (below the tolerance)</source>
        <translation>−{double}% … −{single}%（低于容差）</translation>
    </message>
    <message>
        <location filename="../processing/deviation_style.py"/>
        <source>−{single}% … +{single}% (within the tolerance)</source>
        <translation>−{single}% … +{single}%（容差以内）</translation>
    </message>
</context>
</TS>
