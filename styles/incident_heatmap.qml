<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- Grid Planner incident heatmap: sequential YlOrRd, transparent at zero so it overlays a grid map.
     Item values are fractions of the colour maximum; gridplanner:incidentheatmap rescales them to the
     raster (maximum = 99.5th percentile of non-zero cells) and writes <output>.qml next to the GeoTIFF. -->
<qgis version="3.22.16-Białowieża" styleCategories="AllStyleCategories" hasScaleBasedVisibilityFlag="0" minScale="1e+08" maxScale="0">
  <pipe>
    <provider>
      <resampling enabled="false" maxOversampling="2" zoomedInResamplingMethod="nearestNeighbour" zoomedOutResamplingMethod="nearestNeighbour"/>
    </provider>
    <rasterrenderer type="singlebandpseudocolor" band="1" opacity="0.85" alphaBand="-1" classificationMin="0" classificationMax="1" nodataColor="">
      <rasterTransparency/>
      <minMaxOrigin>
        <limits>None</limits>
        <extent>WholeRaster</extent>
        <statAccuracy>Estimated</statAccuracy>
        <cumulativeCutLower>0.02</cumulativeCutLower>
        <cumulativeCutUpper>0.98</cumulativeCutUpper>
        <stdDevFactor>2</stdDevFactor>
      </minMaxOrigin>
      <rastershader>
        <colorrampshader colorRampType="INTERPOLATED" classificationMode="2" clip="0" minimumValue="0" maximumValue="1" labelPrecision="1">
          <colorramp type="gradient" name="[source]">
            <Option type="Map">
              <Option type="QString" name="color1" value="255,255,178,0"/>
              <Option type="QString" name="color2" value="189,0,38,255"/>
              <Option type="QString" name="discrete" value="0"/>
              <Option type="QString" name="rampType" value="gradient"/>
              <Option type="QString" name="stops" value="0.02;255,255,178,150:0.15;254,217,118,190:0.3;254,178,76,215:0.5;253,141,60,235:0.7;240,59,32,255"/>
            </Option>
            <prop k="color1" v="255,255,178,0"/>
            <prop k="color2" v="189,0,38,255"/>
            <prop k="discrete" v="0"/>
            <prop k="rampType" v="gradient"/>
            <prop k="stops" v="0.02;255,255,178,150:0.15;254,217,118,190:0.3;254,178,76,215:0.5;253,141,60,235:0.7;240,59,32,255"/>
          </colorramp>
          <item alpha="0" value="0" label="0" color="#ffffb2"/>
          <item alpha="150" value="0.02" label="0.02" color="#ffffb2"/>
          <item alpha="190" value="0.15" label="0.15" color="#fed976"/>
          <item alpha="215" value="0.3" label="0.3" color="#feb24c"/>
          <item alpha="235" value="0.5" label="0.5" color="#fd8d3c"/>
          <item alpha="255" value="0.7" label="0.7" color="#f03b20"/>
          <item alpha="255" value="1" label="1" color="#bd0026"/>
          <rampLegendSettings minimumLabel="" maximumLabel="" prefix="" suffix="" direction="0" useContinuousLegend="1" orientation="2">
            <numericFormat id="basic">
              <Option type="Map">
                <Option type="QChar" name="decimal_separator" value=""/>
                <Option type="int" name="decimals" value="1"/>
                <Option type="int" name="rounding_type" value="0"/>
                <Option type="bool" name="show_plus" value="false"/>
                <Option type="bool" name="show_thousand_separator" value="true"/>
                <Option type="bool" name="show_trailing_zeros" value="false"/>
                <Option type="QChar" name="thousand_separator" value=""/>
              </Option>
            </numericFormat>
          </rampLegendSettings>
        </colorrampshader>
      </rastershader>
    </rasterrenderer>
    <brightnesscontrast brightness="0" contrast="0" gamma="1"/>
    <huesaturation colorizeGreen="128" colorizeOn="0" colorizeRed="255" colorizeBlue="128" grayscaleMode="0" saturation="0" colorizeStrength="100"/>
    <rasterresampler maxOversampling="2"/>
    <resamplingStage>resamplingFilter</resamplingStage>
  </pipe>
  <blendMode>0</blendMode>
</qgis>
